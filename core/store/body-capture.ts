import type { Body } from '../../common/model/invocation.ts'
import type { TextRedactor } from './redaction.ts'

export interface CapturedBody {
  /** string → stored as TEXT (valid UTF-8, redacted); Buffer → stored as BLOB (binary, not scannable). */
  value: string | Buffer | null
  truncated: boolean
  sizeBytes: number
}

const encoder = new TextEncoder()
const fatalDecoder = new TextDecoder('utf-8', { fatal: true })
let scratch = Buffer.alloc(64 * 1024)

/**
 * Keeps at most `capBytes` of a body. Text is redacted before it is cut, and only a prefix long
 * enough to hold any secret that starts inside the cap is scanned, so a 5 MB body costs no more
 * than a 64 KB one and a secret straddling the cap cannot leave its first half behind.
 */
export function captureBody(body: Body, capBytes: number, redact: TextRedactor): CapturedBody {
  if (body === null || body === undefined) return { value: null, truncated: false, sizeBytes: 0 }
  if (typeof body === 'string') return captureText(body, true, Buffer.byteLength(body), capBytes, redact)
  const sizeBytes = body.byteLength
  const window = body.subarray(0, Math.min(sizeBytes, capBytes + redact.longest * 4 + 4))
  const complete = window.byteLength === sizeBytes
  let text: string
  try {
    // stream: a multi-byte character cut by the window end is held back instead of failing.
    // A streaming decode keeps state, so it gets its own decoder; a complete one can share.
    text = complete ? fatalDecoder.decode(window) : new TextDecoder('utf-8', { fatal: true }).decode(window, { stream: true })
  } catch {
    return { value: Buffer.from(body.subarray(0, capBytes)), truncated: sizeBytes > capBytes, sizeBytes }
  }
  return captureText(text, complete, sizeBytes, capBytes, redact)
}

/** `complete` says whether `text` is the whole body or only a decoded prefix of it. */
function captureText(text: string, complete: boolean, sizeBytes: number, capBytes: number, redact: TextRedactor): CapturedBody {
  const prefixOnly = text.length > capBytes + redact.longest
  const scanned = redact(prefixOnly ? text.slice(0, capBytes + redact.longest) : text)
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings skip the byte count.
  if (scanned.length * 3 <= capBytes || Buffer.byteLength(scanned) <= capBytes) {
    return { value: scanned, truncated: prefixOnly || !complete, sizeBytes }
  }
  if (scratch.length < capBytes) scratch = Buffer.alloc(capBytes)
  // encodeInto stops at a whole character, so the cut never splits a UTF-8 sequence.
  const { read } = encoder.encodeInto(scanned, scratch.subarray(0, capBytes))
  return { value: scanned.slice(0, read), truncated: true, sizeBytes }
}
