// `Blob` and `File`: immutable bytes with a MIME type, held in memory (functions are short-lived
// and bodies are capped, so there is no backing store to page from).
import { brand } from '../util.ts'
import { utf8Decode, utf8Encode } from '../text-encoding.ts'
import { streamOfBytes, type ReadableStream } from './readable-stream.ts'

const data = new WeakMap<Blob, Uint8Array>()

function normalizeType(type: unknown): string {
  const t = type === undefined ? '' : String(type)
  return /^[\x20-\x7e]*$/.test(t) ? t.toLowerCase() : ''
}

function partBytes(part: unknown): Uint8Array {
  if (part instanceof Blob) return data.get(part)!
  if (part instanceof ArrayBuffer) return new Uint8Array(part)
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength)
  return utf8Encode(String(part))
}

/** Bytes of a Blob without copying (never mutate them). */
export const blobBytes = (blob: Blob): Uint8Array => data.get(blob)!

export class Blob {
  readonly #type: string
  constructor(parts: Iterable<unknown> = [], options: { type?: string; endings?: string } = {}) {
    if (parts === null || typeof parts !== 'object' || typeof (parts as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new TypeError("Failed to construct 'Blob': The provided value cannot be converted to a sequence.")
    }
    const chunks = [...parts].map(partBytes)
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0))
    let offset = 0
    for (const c of chunks) {
      out.set(c, offset)
      offset += c.byteLength
    }
    data.set(this, out)
    this.#type = normalizeType(options?.type)
  }
  get size(): number {
    return data.get(this)!.byteLength
  }
  get type(): string {
    return this.#type
  }
  slice(start = 0, end?: number, type?: string): Blob {
    const bytes = data.get(this)!
    const size = bytes.byteLength
    const clamp = (n: number) => (n < 0 ? Math.max(size + n, 0) : Math.min(n, size))
    const from = clamp(Math.trunc(Number(start)) || 0)
    const to = end === undefined ? size : clamp(Math.trunc(Number(end)) || 0)
    const blob = new Blob([], { type })
    data.set(blob, bytes.subarray(from, Math.max(from, to)))
    return blob
  }
  async text(): Promise<string> {
    return utf8Decode(data.get(this)!, true)
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return data.get(this)!.slice().buffer
  }
  async bytes(): Promise<Uint8Array> {
    return data.get(this)!.slice()
  }
  stream(): ReadableStream {
    return streamOfBytes(data.get(this)!)
  }
}
brand(Blob, 'Blob')

export class File extends Blob {
  readonly #name: string
  readonly #lastModified: number
  constructor(parts: Iterable<unknown>, name: string, options: { type?: string; lastModified?: number } = {}) {
    if (arguments.length < 2) throw new TypeError(`Failed to construct 'File': 2 arguments required, but only ${arguments.length} present.`)
    super(parts, options)
    this.#name = String(name)
    this.#lastModified = options?.lastModified === undefined ? Date.now() : Math.trunc(Number(options.lastModified)) || 0
  }
  get name(): string {
    return this.#name
  }
  get lastModified(): number {
    return this.#lastModified
  }
}
brand(File, 'File')
