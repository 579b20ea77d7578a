import { ENV_VALUE_MAX_CHARS } from '../../common/model/invocation.ts'

/**
 * The first bytes of a body too long to journal whole, with the whole body's size: what a log
 * journal keeps of a large body (the log stores at most a capped prefix of it anyway). A text body
 * is kept as its UTF-8 bytes, cut at a character boundary. Body capture reads it as a body that
 * continues past its end (see body-capture.ts).
 */
export class BodyPrefix extends Uint8Array {
  // subarray() and friends give plain views: only the decoder makes prefixes.
  static get [Symbol.species]() {
    return Uint8Array
  }

  readonly sizeBytes: number

  constructor(buffer: ArrayBuffer, byteOffset: number, length: number, sizeBytes: number) {
    super(buffer, byteOffset, length)
    this.sizeBytes = sizeBytes
  }
}

/**
 * Every secret the log redacts is an env value or comes from a header value, and no header value
 * is longer than the longest env value (request heads are at most 16 KB, a response's headers at
 * most 64 KB in all).
 */
export const LONGEST_SECRET_CHARS = ENV_VALUE_MAX_CHARS

/**
 * How much of a body a journal keeps: all that body capture reads of it when the longest secret is
 * as long as any can be (its cap, plus four UTF-8 bytes per character of that secret, plus a cut
 * character). Capture never keeps part of a secret from a prefix, whatever its length; a longer one
 * only lets a body full of long secrets still fill the cap after redaction.
 */
export function journalBodyBytes(capBytes: number): number {
  return capBytes + LONGEST_SECRET_CHARS * 4 + 4
}
