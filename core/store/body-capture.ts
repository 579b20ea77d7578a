import type { Body } from '../../common/model/invocation.ts'
import { BodyPrefix } from './body-prefix.ts'
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
 * Keeps at most `capBytes` of a body. Text is redacted before it is cut, and only a prefix of the
 * body is decoded and scanned, so a 5 MB body costs about what a 64 KB one does.
 *
 * The prefix starts long enough to hold any secret that starts inside the cap. Redaction can
 * shrink it, though (a 40-character token becomes a 10-character marker), and then the part of the
 * prefix that is safe to keep (see `TextRedactor.safePrefix`) may not reach the cap: the prefix
 * doubles until it does, or until it is the whole body. Without that, a body repeating a secret
 * kept the first half of the occurrence the prefix cut.
 */
export function captureBody(body: Body, capBytes: number, redact: TextRedactor): CapturedBody {
  if (body === null || body === undefined) return { value: null, truncated: false, sizeBytes: 0 }
  if (typeof body === 'string') return captureString(body, capBytes, redact)
  // A journal's prefix of a longer body (body-prefix.ts) is read as far as it goes.
  const sizeBytes = body instanceof BodyPrefix ? body.sizeBytes : body.byteLength
  let kept: Kept | null = null
  for (let windowBytes = capBytes + redact.longest * 4 + 4; ; windowBytes *= 2) {
    const window = body.subarray(0, Math.min(body.byteLength, windowBytes))
    const atEnd = window.byteLength === body.byteLength
    const complete = atEnd && body.byteLength === sizeBytes
    let text: string
    try {
      // stream: a multi-byte character cut by the window end is held back instead of failing.
      // A streaming decode keeps state, so it gets its own decoder; a complete one can share.
      text = complete ? fatalDecoder.decode(window) : new TextDecoder('utf-8', { fatal: true }).decode(window, { stream: true })
    } catch {
      // Text up to a window that fit, binary past it: what was kept as text stays text.
      if (kept) return { value: kept.value, truncated: true, sizeBytes }
      return { value: Buffer.from(body.subarray(0, capBytes)), truncated: sizeBytes > capBytes, sizeBytes }
    }
    kept = keepText(text, complete, capBytes, redact)
    if (kept.reachedCap || atEnd) return { value: kept.value, truncated: kept.truncated, sizeBytes }
  }
}

function captureString(body: string, capBytes: number, redact: TextRedactor): CapturedBody {
  const sizeBytes = Buffer.byteLength(body)
  for (let windowChars = capBytes + redact.longest; ; windowChars *= 2) {
    const complete = body.length <= windowChars
    let text = body
    if (!complete) {
      // Not between the two halves of a surrogate pair.
      const end = isHighSurrogate(body.charCodeAt(windowChars - 1)) ? windowChars + 1 : windowChars
      text = body.slice(0, end)
    }
    const kept = keepText(text, complete, capBytes, redact)
    if (kept.reachedCap || complete) return { value: kept.value, truncated: kept.truncated, sizeBytes }
  }
}

interface Kept {
  value: string
  truncated: boolean
  /** The kept text fills the cap: a longer prefix would not change it. */
  reachedCap: boolean
}

/** `complete` says whether `text` is the whole body or only a prefix of it. */
function keepText(text: string, complete: boolean, capBytes: number, redact: TextRedactor): Kept {
  const scanned = complete ? redact(text) : redact.safePrefix(text)
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings skip the byte count.
  if (scanned.length * 3 <= capBytes || Buffer.byteLength(scanned) <= capBytes) {
    return { value: scanned, truncated: !complete, reachedCap: false }
  }
  if (scratch.length < capBytes) scratch = Buffer.alloc(capBytes)
  // encodeInto stops at a whole character, so the cut never splits a UTF-8 sequence.
  const { read } = encoder.encodeInto(scanned, scratch.subarray(0, capBytes))
  return { value: scanned.slice(0, read), truncated: true, reachedCap: true }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
