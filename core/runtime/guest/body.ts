// The Fetch "Body" mixin, shared by Request and Response through a base class. A body is either
// immutable bytes (strings, buffers, Blob, FormData, URLSearchParams: the common case, no stream
// machinery loaded) or a ReadableStream. Asking for `.body` turns bytes into a stream, lazily.
import type { ReadableStream } from './extras/readable-stream.ts'
import { extras, extrasLoaded } from './extras-loader.ts'
import { utf8Decode, utf8Encode } from './text-encoding.ts'
import { URLSearchParams } from './url-search-params.ts'
import type { Headers } from './headers.ts'
import { named } from './util.ts'

export type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParams | object

/**
 * Extracted body: bytes are a private copy (never mutated afterwards, so clones can share them).
 * A body made from a string keeps the string instead (\`text\`, bytes null) and is encoded only
 * when something reads the bytes: a response usually goes straight to the host, which encodes the
 * string natively (and a string crosses cheaper than bytes).
 */
export type Extracted = { bytes: Uint8Array | null; stream: ReadableStream | null; type: string | null; text?: string | null }

/** The spec's "extract a body"; objects we do not know become strings (WebIDL). */
export function extractBody(init: unknown): Extracted {
  if (typeof init === 'string') return { bytes: null, text: init, stream: null, type: 'text/plain;charset=UTF-8' }
  if (init instanceof ArrayBuffer) return { bytes: new Uint8Array(init.slice(0)), stream: null, type: null }
  if (ArrayBuffer.isView(init)) return { bytes: new Uint8Array(init.buffer, init.byteOffset, init.byteLength).slice(), stream: null, type: null }
  if (init instanceof URLSearchParams) return { bytes: null, text: init.toString(), stream: null, type: 'application/x-www-form-urlencoded;charset=UTF-8' }
  // Streams, Blobs and FormData can only exist once the extras are loaded.
  if (extrasLoaded() && init !== null && typeof init === 'object') {
    const x = extras()
    if (init instanceof x.ReadableStream) {
      if (init.locked || x.isDisturbed(init)) throw new TypeError('The ReadableStream is locked or has already been read')
      return { bytes: null, stream: init, type: null }
    }
    if (init instanceof x.Blob) return { bytes: x.blobBytes(init), stream: null, type: init.type || null }
    if (init instanceof x.FormData) return { ...x.serializeFormData(init), stream: null }
  }
  return { bytes: null, text: String(init), stream: null, type: 'text/plain;charset=UTF-8' }
}

/** \`text\` non-null: the body is its UTF-8 encoding, not made yet (bytes null); see Extracted. */
type BodyState = { bytes: Uint8Array | null; text: string | null; stream: ReadableStream | null; used: boolean }

/** Host bridge: the body bytes without consuming them (null = no body, or a stream body). Never mutate them. */
export let bodyBytesOf: (r: Body) => Uint8Array | null
/** Host bridge: the string a body was made from while its bytes have not been needed yet, else null (then see bodyBytesOf). */
export let bodyTextOf: (r: Body) => string | null
/** The body's stream, if it has one (constructed from a stream, or `.body` was read). */
export let bodyStreamOf: (r: Body) => ReadableStream | null
/** Internal: set up the body of a new Request/Response (bytes are shared, not copied; \`text\` as in Extracted). */
export let initBody: (r: Body, bytes: Uint8Array | null, stream?: ReadableStream | null, text?: string | null) => void
/** Internal: the body moves to another Request; this one becomes used. */
export let takeBody: (r: Body) => { bytes: Uint8Array | null; stream: ReadableStream | null; text: string | null }
/** Internal: bodyUsed without going through the (replaceable) prototype getter. */
export let bodyUsedOf: (r: Body) => boolean
/** Internal: a copy of the body for clone() (a stream is teed). */
export let cloneBody: (from: Body, to: Body) => void
/** Reads the whole body without marking it used (for the host bridge: response out, fetch out). */
export let readBodyBytes: (r: Body, cap?: number) => Promise<Uint8Array | null>

const hasBody = (s: BodyState) => s.bytes !== null || s.text !== null || s.stream !== null
/** The body's bytes, encoding a string body on first need. */
const bytesOf = (s: BodyState): Uint8Array | null => {
  if (s.text !== null) {
    s.bytes = utf8Encode(s.text)
    s.text = null
  }
  return s.bytes
}
const usedOf = (s: BodyState) => s.used || (s.stream !== null && extras().isDisturbed(s.stream))

export abstract class Body {
  #state: BodyState = { bytes: null, text: null, stream: null, used: false }

  static {
    bodyBytesOf = (r) => bytesOf(r.#state)
    bodyTextOf = (r) => r.#state.text
    bodyStreamOf = (r) => r.#state.stream
    initBody = (r, bytes, stream = null, text = null) => { r.#state = { bytes, text: text ?? null, stream, used: false } }
    takeBody = (r) => {
      const s = r.#state
      if (hasBody(s)) s.used = true
      return { bytes: s.bytes, stream: s.stream, text: s.text }
    }
    bodyUsedOf = (r) => usedOf(r.#state)
    cloneBody = (from, to) => {
      const s = from.#state
      if (s.stream) {
        const [a, b] = s.stream.tee()
        s.stream = a
        to.#state = { bytes: null, text: null, stream: b, used: false }
      } else to.#state = { bytes: s.bytes, text: s.text, stream: null, used: false }
    }
    readBodyBytes = async (r, cap) => {
      const s = r.#state
      if (s.stream) return extras().readAllBytes(s.stream, cap)
      return bytesOf(s)
    }
  }

  abstract get headers(): Headers

  /** The body as a ReadableStream (made from the bytes on first access), or null for no body. */
  get body(): ReadableStream | null {
    const s = this.#state
    if (!s.stream && (s.bytes || s.text !== null)) {
      s.stream = extras().streamOfBytes(bytesOf(s)!)
      s.bytes = null
      if (s.used) void s.stream.getReader().read()
    }
    return s.stream
  }
  /** The spec: a body was read. Stays false for a null body, which can be "read" repeatedly. */
  get bodyUsed(): boolean {
    return usedOf(this.#state)
  }

  async #consume(): Promise<Uint8Array> {
    const s = this.#state
    if (usedOf(s)) throw new TypeError('Body is unusable: Body has already been read')
    if (s.stream) {
      if (s.stream.locked) throw new TypeError('Body is unusable: the body stream is locked to a reader')
      s.used = true
      return extras().readAllBytes(s.stream)
    }
    const bytes = bytesOf(s)
    if (!bytes) return new Uint8Array(0)
    s.used = true
    return bytes
  }

  // async: a second read rejects (rather than throws), like the spec's promise-returning readers
  async arrayBuffer(): Promise<ArrayBuffer> {
    return (await this.#consume()).slice().buffer
  }
  async bytes(): Promise<Uint8Array> {
    return (await this.#consume()).slice()
  }
  async text(): Promise<string> {
    return utf8Decode(await this.#consume(), true)
  }
  async json(): Promise<unknown> {
    return JSON.parse(utf8Decode(await this.#consume(), true))
  }
  async blob(): Promise<object> {
    const bytes = await this.#consume()
    return new (extras().Blob)([bytes], { type: this.headers.get('content-type') ?? '' })
  }
  async formData(): Promise<object> {
    const bytes = await this.#consume()
    return extras().parseFormData(bytes, this.headers.get('content-type'))
  }
}
named(Body, 'Body')
