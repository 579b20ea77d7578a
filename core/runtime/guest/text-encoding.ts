// TextEncoder / TextDecoder for UTF-8 only (the only encoding the platform must support for
// encoding; decoding other legacy encodings would need large tables we don't want to parse in
// every isolate). Also exports the raw codec used by the other guest modules.
import type { HostHooks } from './host-hooks.ts'
import { apply } from './intrinsics.ts'
import { brand, inspectViews } from './util.ts'

/** The host's codec, when running under the bootstrap (guest unit tests run without it). */
let native: Pick<HostHooks, 'utf8Encode' | 'utf8Decode'> | null = null
/** Below this, a host call costs more than coding in the isolate; above the cap, the host would copy too much at once. */
const NATIVE_MIN = 512
const NATIVE_MAX = 16 * 1024 * 1024

export function useNativeCodec(hooks: Pick<HostHooks, 'utf8Encode' | 'utf8Decode'>): void {
  native = hooks
}

/** UTF-8 encode; lone surrogates become U+FFFD (EF BF BD). */
export function utf8Encode(input: string): Uint8Array {
  if (native && input.length >= NATIVE_MIN && input.length <= NATIVE_MAX) return native.utf8Encode(input)
  // Size exactly first (instead of 3 bytes per unit and a copy): bodies can be large and the
  // isolate's heap is small.
  let size = input.length
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i)
    if (c < 0x80) continue
    if (c < 0x800) size += 1
    else {
      size += 2 // 3 bytes, or a surrogate pair's 2 units → 4 bytes
      if (c <= 0xdbff && c >= 0xd800) { const d = input.charCodeAt(i + 1); if (d >= 0xdc00 && d <= 0xdfff) i++ }
    }
  }
  const out = new Uint8Array(size)
  encodeInto(input, out)
  return out
}

function encodeInto(s: string, dest: Uint8Array): { read: number; written: number } {
  let w = 0, i = 0
  const n = s.length, cap = dest.length
  for (; i < n; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      if (w >= cap) break
      dest[w++] = c
      continue
    }
    let units = 1
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); units = 2 }
      else c = 0xfffd
    }
    const len = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4
    if (w + len > cap) break // never write a partial character
    if (len === 2) dest[w++] = 0xc0 | (c >> 6)
    else {
      if (len === 3) dest[w++] = 0xe0 | (c >> 12)
      else { dest[w++] = 0xf0 | (c >> 18); dest[w++] = 0x80 | ((c >> 12) & 63) }
      dest[w++] = 0x80 | ((c >> 6) & 63)
    }
    dest[w++] = 0x80 | (c & 63)
    i += units - 1
  }
  return { read: i, written: w }
}

export class TextEncoder {
  get encoding(): string {
    return 'utf-8'
  }
  encode(input: unknown = ''): Uint8Array {
    return utf8Encode(String(input))
  }
  encodeInto(source: unknown, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array)) throw new TypeError("Failed to execute 'encodeInto': parameter 2 is not of type 'Uint8Array'.")
    return encodeInto(String(source), destination)
  }
}

const fromCharCode = String.fromCharCode
/** fromCharCode takes its arguments on the stack: keep each call well under V8's limit. */
const ASCII_CHUNK = 8192

const LABELS = ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8']

/** Any BufferSource → a Uint8Array view over the same bytes (no copy). */
export function toBytes(input: unknown, what: string): Uint8Array {
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  if (input instanceof ArrayBuffer || (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer)) return new Uint8Array(input)
  throw new TypeError(`${what}: the provided value is not of type '(ArrayBuffer or ArrayBufferView)'`)
}

export class TextDecoder {
  #fatal: boolean
  #ignoreBOM: boolean
  // Decoder state of the Encoding standard's UTF-8 decoder, kept across {stream: true} calls.
  #cp = 0
  #needed = 0
  #seen = 0
  #lower = 0x80
  #upper = 0xbf
  #bomDone = false

  static {
    inspectViews.set(TextDecoder.prototype, (d: TextDecoder) => ({ encoding: 'utf-8', fatal: d.#fatal, ignoreBOM: d.#ignoreBOM }))
  }

  constructor(label: unknown = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } | null | undefined = {}) {
    const name = String(label).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase()
    if (!LABELS.includes(name)) throw new RangeError(`The encoding label provided ('${String(label)}') is invalid or unsupported.`)
    this.#fatal = Boolean(options?.fatal)
    this.#ignoreBOM = Boolean(options?.ignoreBOM)
  }
  get encoding(): string {
    return 'utf-8'
  }
  get fatal(): boolean {
    return this.#fatal
  }
  get ignoreBOM(): boolean {
    return this.#ignoreBOM
  }

  decode(input?: unknown, options?: { stream?: boolean } | null): string {
    const bytes = input === undefined ? new Uint8Array(0) : toBytes(input, "Failed to execute 'decode' on 'TextDecoder'")
    const stream = Boolean(options?.stream)
    if (native && !stream && this.#needed === 0 && bytes.length >= NATIVE_MIN && bytes.length <= NATIVE_MAX) {
      const text = native.utf8Decode(bytes, !this.#ignoreBOM && !this.#bomDone, this.#fatal)
      this.#reset()
      if (text === null) throw new TypeError('The encoded data was not valid for encoding utf-8')
      return text
    }
    const units: number[] = []
    let out = ''
    const emit = (c: number) => {
      if (!this.#bomDone) {
        this.#bomDone = true
        if (c === 0xfeff && !this.#ignoreBOM) return
      }
      if (c > 0xffff) { c -= 0x10000; units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff)) }
      else units.push(c)
      // String.fromCharCode has an argument-count limit: flush in chunks
      if (units.length >= 8192) { out += String.fromCharCode(...units); units.length = 0 }
    }
    const fail = () => {
      if (this.#fatal) { this.#reset(); throw new TypeError('The encoded data was not valid for encoding utf-8') }
      emit(0xfffd)
    }
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!
      if (this.#needed === 0 && b < 0x80 && this.#bomDone) {
        // ASCII runs (most JSON and text) go to fromCharCode in chunks: the byte-by-byte state
        // machine below costs ~10x more per byte.
        let end = i + 1
        while (end < bytes.length && bytes[end]! < 0x80) end++
        if (units.length > 0) { out += String.fromCharCode(...units); units.length = 0 }
        for (let at = i; at < end; at += ASCII_CHUNK) out += apply(fromCharCode, undefined, bytes.subarray(at, Math.min(end, at + ASCII_CHUNK)) as unknown as number[]) as string
        i = end - 1
        continue
      }
      if (this.#needed === 0) {
        if (b < 0x80) emit(b)
        else if (b >= 0xc2 && b <= 0xdf) { this.#needed = 1; this.#cp = b & 0x1f }
        else if (b >= 0xe0 && b <= 0xef) {
          if (b === 0xe0) this.#lower = 0xa0
          else if (b === 0xed) this.#upper = 0x9f
          this.#needed = 2; this.#cp = b & 0xf
        } else if (b >= 0xf0 && b <= 0xf4) {
          if (b === 0xf0) this.#lower = 0x90
          else if (b === 0xf4) this.#upper = 0x8f
          this.#needed = 3; this.#cp = b & 0x7
        } else fail()
        continue
      }
      if (b < this.#lower || b > this.#upper) {
        // maximal-subpart replacement: one U+FFFD, then the byte is processed again
        this.#needed = this.#seen = this.#cp = 0; this.#lower = 0x80; this.#upper = 0xbf
        fail()
        i--
        continue
      }
      this.#lower = 0x80; this.#upper = 0xbf
      this.#cp = (this.#cp << 6) | (b & 0x3f)
      if (++this.#seen === this.#needed) {
        const c = this.#cp
        this.#needed = this.#seen = this.#cp = 0
        emit(c)
      }
    }
    if (!stream) {
      const pending = this.#needed !== 0
      this.#reset()
      if (pending) { if (this.#fatal) throw new TypeError('The encoded data was not valid for encoding utf-8'); units.push(0xfffd) }
      this.#bomDone = false
    }
    return out + String.fromCharCode(...units)
  }

  #reset(): void {
    this.#needed = this.#seen = this.#cp = 0; this.#lower = 0x80; this.#upper = 0xbf; this.#bomDone = false
  }
}

brand(TextEncoder, 'TextEncoder')
brand(TextDecoder, 'TextDecoder')
inspectViews.set(TextEncoder.prototype, () => ({ encoding: 'utf-8' }))

/**
 * UTF-8 decode with replacement. stripBOM=true is the spec's "UTF-8 decode" (used by Body.text()),
 * false is "UTF-8 decode without BOM" (used by the urlencoded parser).
 */
export function utf8Decode(bytes: Uint8Array, stripBOM = false): string {
  return new TextDecoder('utf-8', { ignoreBOM: !stripBOM }).decode(bytes)
}
