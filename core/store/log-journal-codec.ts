import type { NewInvocation } from '../../common/model/invocation-log.ts'
import type { Body, ConsoleLine } from '../../common/model/invocation.ts'
import { BodyPrefix } from './body-prefix.ts'
import type { BegunWire, DoneWire } from './invocation-wire.ts'
import type { JournalFrame } from './log-journal.ts'

/**
 * The bytes of a journal frame: a 4-byte big-endian length (the framing of frame-channel.ts), a
 * version byte, then tagged records in the order they happened: an invocation's record (before it
 * runs), a result, or the rotation marker. Strings are UTF-8 with a length, numbers float64, small
 * objects (headers, query, console) JSON, bodies tagged text or bytes, or (version 3) the prefix of
 * a body longer than the journal keeps, with the body's size.
 * Records are encoded as they happen, straight from the objects the front already has; why not
 * v8.serialize: on a hello-world row it cost ~1.4 µs against ~0.8, on a json-10kb row ~5 µs
 * against ~1.3 (its fixed cost per value, and the copies of its growing buffer).
 */
const VERSION = 3
/** Journals written before bodies could be cut (the same records without BODY_PREFIX) still read. */
const READABLE_VERSIONS = new Set([2, 3])
const NONE = 0xffffffff
const BODY_NULL = 0
const BODY_TEXT = 1
const BODY_BYTES = 2
const BODY_PREFIX = 3
const BEGUN = 1
const DONE = 2
const ROTATED = 3
const HEAD = 5

export type BegunInput = Omit<NewInvocation, 'result'> & { id: string }

export interface JournalEncoder {
  begun(invocation: BegunInput): void
  done(id: string, result: NewInvocation['result']): void
  rotated(next: string): void
  readonly empty: boolean
  /** The frame so far, length header included, and a fresh one after it. Valid until the next call: write it (or copy it) first. */
  take(): Buffer
}

/** `bodyBytes`: bodies longer than this (in UTF-8 bytes) are journaled as their first `bodyBytes` bytes and their size. */
export function createJournalEncoder(bodyBytes = Infinity): JournalEncoder {
  let out = Buffer.allocUnsafe(64 * 1024)
  let at = HEAD

  const room = (bytes: number) => {
    if (at + bytes <= out.byteLength) return
    let size = out.byteLength * 2
    while (size < at + bytes) size *= 2
    const grown = Buffer.allocUnsafe(size)
    out.copy(grown, 0, 0, at)
    out = grown
  }
  const u8 = (value: number) => {
    room(1)
    out[at++] = value
  }
  const u32 = (value: number) => {
    room(4)
    out.writeUInt32LE(value, at)
    at += 4
  }
  const f64 = (value: number) => {
    room(8)
    out.writeDoubleLE(value, at)
    at += 8
  }
  const str = (value: string) => {
    room(4 + value.length * 3)
    const bytes = out.write(value, at + 4, 'utf8')
    out.writeUInt32LE(bytes, at)
    at += 4 + bytes
  }
  const maybeStr = (value: string | null | undefined) => (value === null || value === undefined ? u32(NONE) : str(value))
  const bytes = (value: Uint8Array) => {
    u32(value.byteLength)
    room(value.byteLength)
    out.set(value, at)
    at += value.byteLength
  }
  const body = (value: Body) => {
    if (value === null || value === undefined) return u8(BODY_NULL)
    if (typeof value === 'string') {
      // At most 3 UTF-8 bytes per UTF-16 unit: short text skips the byte count.
      const size = value.length * 3 <= bodyBytes ? 0 : Buffer.byteLength(value)
      if (size <= bodyBytes) {
        u8(BODY_TEXT)
        return str(value)
      }
      u8(BODY_PREFIX)
      u32(size)
      room(4 + bodyBytes)
      // write() stops at the last whole character that fits.
      const written = out.write(value, at + 4, bodyBytes, 'utf8')
      out.writeUInt32LE(written, at)
      at += 4 + written
      return
    }
    if (value.byteLength <= bodyBytes) {
      u8(BODY_BYTES)
      return bytes(value)
    }
    u8(BODY_PREFIX)
    u32(value.byteLength)
    bytes(value.subarray(0, bodyBytes))
  }

  return {
    begun(inv) {
      const { request } = inv
      u8(BEGUN)
      str(inv.id)
      str(inv.functionId)
      f64(inv.version)
      str(inv.trigger)
      f64(inv.startedAt)
      str(request.method)
      str(request.url)
      str(request.path)
      str(JSON.stringify(request.query))
      str(JSON.stringify(request.headers))
      body(request.body)
    },
    done(id, result) {
      const { response, error, metrics } = result
      u8(DONE)
      str(id)
      str(result.outcome)
      f64(response.statusCode)
      str(JSON.stringify(response.headers))
      body(response.body)
      maybeStr(error?.message)
      maybeStr(error?.stack)
      str(result.console.length === 0 ? '[]' : JSON.stringify(result.console))
      f64(metrics.wallMs)
      f64(metrics.cpuMs)
      f64(metrics.peakHeapBytes)
      u8(metrics.coldStart ? 1 : 0)
    },
    rotated(next) {
      u8(ROTATED)
      str(next)
    },
    get empty() {
      return at === HEAD
    },
    take() {
      out.writeUInt32BE(at - 4, 0)
      out[4] = VERSION
      const frame = out.subarray(0, at)
      at = HEAD
      return frame
    },
  }
}

/** One frame from whole lists (tests, and a rotation's carried records). */
export function encodeJournalFrame(begun: readonly BegunInput[], done: readonly NewInvocation[], rotatedTo?: string, bodyBytes = Infinity): Buffer {
  const encoder = createJournalEncoder(bodyBytes)
  for (const inv of begun) encoder.begun(inv)
  for (const inv of done) encoder.done(inv.id!, inv.result)
  if (rotatedTo !== undefined) encoder.rotated(rotatedTo)
  return encoder.take()
}

/** A frame's body (after its length header); throws on anything malformed (a journal comes from another process). */
export function decodeJournalFrame(frame: Buffer): JournalFrame {
  let pos = 0
  const need = (n: number) => {
    if (pos + n > frame.byteLength) throw new Error(`a field runs past the end of its ${frame.byteLength}-byte frame`)
  }
  const rU8 = () => {
    need(1)
    return frame[pos++]!
  }
  const rU32 = () => {
    need(4)
    const v = frame.readUInt32LE(pos)
    pos += 4
    return v
  }
  const rF64 = () => {
    need(8)
    const v = frame.readDoubleLE(pos)
    pos += 8
    return v
  }
  const rStrOfLength = (n: number) => {
    need(n)
    const v = frame.toString('utf8', pos, pos + n)
    pos += n
    return v
  }
  const rStr = () => rStrOfLength(rU32())
  const rMaybeStr = () => {
    const n = rU32()
    return n === NONE ? null : rStrOfLength(n)
  }
  /** True (and past it) when the next string is exactly `open` + `close`: most rows carry `{}` and `[]`, and JSON.parse of them costs more than the check. */
  const rEmpty = (open: number, close: number) => {
    if (pos + 6 > frame.byteLength || frame.readUInt32LE(pos) !== 2 || frame[pos + 4] !== open || frame[pos + 5] !== close) return false
    pos += 6
    return true
  }
  const rRecord = <T>(what: string): T => {
    if (rEmpty(0x7b, 0x7d)) return {} as T
    const v: unknown = JSON.parse(rStr())
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${what} is not an object`)
    return v as T
  }
  const rConsole = (): (string | number)[] => {
    if (rEmpty(0x5b, 0x5d)) return []
    const lines: unknown = JSON.parse(rStr())
    if (!Array.isArray(lines)) throw new Error('console is not a list')
    const flat: (string | number)[] = new Array(lines.length * 3)
    lines.forEach((line: ConsoleLine, i) => {
      if (typeof line?.message !== 'string' || typeof line.level !== 'string' || typeof line.at !== 'number') throw new Error('a console line has the wrong shape')
      flat[i * 3] = line.level
      flat[i * 3 + 1] = line.message
      flat[i * 3 + 2] = line.at
    })
    return flat
  }
  const rBytes = () => {
    const n = rU32()
    need(n)
    pos += n
    return pos - n
  }
  const rBody = (): Body => {
    const tag = rU8()
    if (tag === BODY_NULL) return null
    if (tag === BODY_TEXT) return rStr()
    if (tag === BODY_BYTES) {
      const start = rBytes()
      return frame.subarray(start, pos)
    }
    if (tag !== BODY_PREFIX) throw new Error(`unknown body tag ${tag}`)
    const size = rU32()
    const start = rBytes()
    if (size <= pos - start) throw new Error(`a body prefix of ${pos - start} bytes claims a body of only ${size}`)
    return new BodyPrefix(frame.buffer as ArrayBuffer, frame.byteOffset + start, pos - start, size)
  }

  const version = rU8()
  if (!READABLE_VERSIONS.has(version)) throw new Error(`unknown journal frame version ${version}`)
  const begun: BegunWire[] = []
  const done: DoneWire[] = []
  let rotatedTo: string | null = null
  while (pos < frame.byteLength) {
    const tag = rU8()
    if (tag === BEGUN) {
      begun.push([rStr(), rStr(), rF64(), rStr() as BegunWire[3], rF64(), rStr(), rStr(), rStr(), rRecord('query'), rRecord('request headers'), rBody()])
    } else if (tag === DONE) {
      done.push([rStr(), rStr() as DoneWire[1], rF64(), rRecord('response headers'), rBody() as DoneWire[4], rMaybeStr(), rMaybeStr(), rConsole(), rF64(), rF64(), rF64(), rU8() === 1])
    } else if (tag === ROTATED) {
      rotatedTo = rStr()
    } else throw new Error(`unknown record tag ${tag}`)
  }
  return rotatedTo === null ? [begun, done] : [begun, done, rotatedTo]
}
