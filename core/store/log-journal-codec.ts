import type { Body } from '../../common/model/invocation.ts'
import type { BegunWire, DoneWire } from './invocation-wire.ts'
import type { JournalFrame } from './log-journal.ts'

/**
 * The bytes of a journal frame: a 4-byte big-endian length (the framing of frame-channel.ts), then
 * counts, then each record's fields in wire order. Strings are UTF-8 with a length, numbers
 * float64, small objects (headers, query, console) JSON, bodies tagged text or bytes.
 * Why not v8.serialize: measured on a worker under load it took ~4 µs for a hello-world row and
 * ~7 µs of fixed cost per row besides a body's bytes; this writes both in ~1 µs plus a copy.
 */
const VERSION = 1
const NONE = 0xffffffff
const BODY_NULL = 0
const BODY_TEXT = 1
const BODY_BYTES = 2

/** Reused between frames: the writer writes each frame out before it encodes the next. */
let out = Buffer.allocUnsafe(256 * 1024)
let at = 0

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
const maybeStr = (value: string | null) => (value === null ? u32(NONE) : str(value))
const bytes = (value: Uint8Array) => {
  u32(value.byteLength)
  room(value.byteLength)
  out.set(value, at)
  at += value.byteLength
}
const body = (value: Body) => {
  if (value === null || value === undefined) return u8(BODY_NULL)
  if (typeof value === 'string') {
    u8(BODY_TEXT)
    return str(value)
  }
  u8(BODY_BYTES)
  bytes(value)
}

/** One frame, length header included. The result is only valid until the next call: write it (or copy it) first. */
export function encodeJournalFrame(begun: readonly BegunWire[], done: readonly DoneWire[], rotatedTo?: string): Buffer {
  at = 4
  u8(VERSION)
  u32(begun.length)
  u32(done.length)
  maybeStr(rotatedTo ?? null)
  for (const b of begun) {
    str(b[0])
    str(b[1])
    f64(b[2])
    str(b[3])
    f64(b[4])
    str(b[5])
    str(b[6])
    str(b[7])
    str(JSON.stringify(b[8]))
    str(JSON.stringify(b[9]))
    body(b[10])
  }
  for (const d of done) {
    str(d[0])
    str(d[1])
    f64(d[2])
    str(JSON.stringify(d[3]))
    body(d[4])
    maybeStr(d[5])
    maybeStr(d[6])
    str(JSON.stringify(d[7]))
    f64(d[8])
    f64(d[9])
    f64(d[10])
    u8(d[11] ? 1 : 0)
  }
  out.writeUInt32BE(at - 4, 0)
  return out.subarray(0, at)
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
  const rJson = <T>(check: (v: unknown) => boolean, what: string): T => {
    const v: unknown = JSON.parse(rStr())
    if (!check(v)) throw new Error(`${what} has the wrong shape`)
    return v as T
  }
  const rBody = (): Body => {
    const tag = rU8()
    if (tag === BODY_NULL) return null
    if (tag === BODY_TEXT) return rStr()
    if (tag !== BODY_BYTES) throw new Error(`unknown body tag ${tag}`)
    const n = rU32()
    need(n)
    const v = frame.subarray(pos, pos + n)
    pos += n
    return v
  }
  const isRecord = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)

  const version = rU8()
  if (version !== VERSION) throw new Error(`unknown journal frame version ${version}`)
  const begunCount = rU32()
  const doneCount = rU32()
  const rotatedTo = rMaybeStr()
  const begun: BegunWire[] = []
  for (let i = 0; i < begunCount; i++) {
    begun.push([rStr(), rStr(), rF64(), rStr() as BegunWire[3], rF64(), rStr(), rStr(), rStr(), rJson(isRecord, 'query'), rJson(isRecord, 'request headers'), rBody()])
  }
  const done: DoneWire[] = []
  for (let i = 0; i < doneCount; i++) {
    done.push([
      rStr(), rStr() as DoneWire[1], rF64(), rJson(isRecord, 'response headers'), rBody() as DoneWire[4], rMaybeStr(), rMaybeStr(),
      rJson(Array.isArray, 'console'), rF64(), rF64(), rF64(), rU8() === 1,
    ])
  }
  if (pos !== frame.byteLength) throw new Error(`${frame.byteLength - pos} bytes follow the last record`)
  return rotatedTo === null ? [begun, done] : [begun, done, rotatedTo]
}
