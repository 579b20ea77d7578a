// The Fetch "Body" mixin, shared by Request and Response through a base class. A body is held
// as immutable bytes; ReadableStream, Blob and FormData arrive later: they add branches to
// `extractBody` and a stream-backed source to BodyState, and `body` will return a stream.
import { utf8Decode, utf8Encode } from './text-encoding.ts'
import { URLSearchParams } from './url-search-params.ts'
import type { Headers } from './headers.ts'
import { named } from './util.ts'

export type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParams

/** Extracted body: bytes are a private copy (never mutated afterwards, so clones can share them). */
export type Extracted = { bytes: Uint8Array; type: string | null }

/** The spec's "extract a body" for the types we support; other objects become strings (WebIDL). */
export function extractBody(init: unknown): Extracted {
  if (typeof init === 'string') return { bytes: utf8Encode(init), type: 'text/plain;charset=UTF-8' }
  if (init instanceof ArrayBuffer) return { bytes: new Uint8Array(init.slice(0)), type: null }
  if (ArrayBuffer.isView(init)) return { bytes: new Uint8Array(init.buffer, init.byteOffset, init.byteLength).slice(), type: null }
  if (init instanceof URLSearchParams) return { bytes: utf8Encode(init.toString()), type: 'application/x-www-form-urlencoded;charset=UTF-8' }
  return { bytes: utf8Encode(String(init)), type: 'text/plain;charset=UTF-8' }
}

type BodyState = { bytes: Uint8Array | null; used: boolean }

/** Host bridge: the body bytes without consuming them (null = no body). Never mutate them. */
export let bodyBytesOf: (r: Body) => Uint8Array | null
/** Internal: set up the body of a new Request/Response (bytes are shared, not copied). */
export let initBody: (r: Body, bytes: Uint8Array | null) => void
/** Internal: mark a body as consumed (used when a Request takes over another one's body). */
export let markBodyUsed: (r: Body) => void
/** Internal: bodyUsed without going through the (replaceable) prototype getter. */
export let bodyUsedOf: (r: Body) => boolean

export abstract class Body {
  #state: BodyState = { bytes: null, used: false }

  static {
    bodyBytesOf = r => r.#state.bytes
    initBody = (r, bytes) => { r.#state = { bytes, used: false } }
    markBodyUsed = r => { if (r.#state.bytes) r.#state.used = true }
    bodyUsedOf = r => r.#state.used
  }

  abstract get headers(): Headers

  /** Until streams exist there is no ReadableStream to hand out: null, use the read methods. */
  get body(): null {
    return null
  }
  /** The spec: a body was read. Stays false for a null body, which can be "read" repeatedly. */
  get bodyUsed(): boolean {
    return this.#state.used
  }

  #consume(): Uint8Array {
    const s = this.#state
    if (s.used) throw new TypeError('Body is unusable: Body has already been read')
    if (!s.bytes) return new Uint8Array(0)
    s.used = true
    return s.bytes
  }

  // async: a second read rejects (rather than throws), like the spec's promise-returning readers
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.#consume().slice().buffer
  }
  async bytes(): Promise<Uint8Array> {
    return this.#consume().slice()
  }
  async text(): Promise<string> {
    return utf8Decode(this.#consume(), true)
  }
  async json(): Promise<unknown> {
    return JSON.parse(utf8Decode(this.#consume(), true))
  }
}
named(Body, 'Body')
