import { writevSync } from 'node:fs'
import { deserialize, serialize } from 'node:v8'

/**
 * Length-prefixed V8-serialized messages over a plain pipe: the runtime worker's side channel to
 * the host (its fd 4), which carries what its HTTP front reports (log rows, began batches, lookups).
 *
 * Why not the IPC channel: Node writes IPC asynchronously, so bytes leave only when the worker's
 * event loop polls, and a loop busy running isolates polls every few ms. With the socket's ~200 KB
 * buffer that capped a worker at ~35 MB/s: json-10kb's ~14 KB log rows queued for seconds, and the lookups,
 * heartbeats and crash records behind them with them. Here the worker writes synchronously (the
 * pipe is blocking on its end), so a frame is in the kernel once `writeFrameSync` returns — also
 * what a crash record must be before guest code runs — and a slow host slows the worker down
 * instead of piling memory up in it.
 */

export const HEADER_BYTES = 4
/** A sanity bound: anything larger is a corrupt stream, not a message. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024
const retryPause = new Int32Array(new SharedArrayBuffer(4))

/** Writes one message whole, blocking until the pipe took it. Throws (EPIPE…) when the reader is gone. */
export function writeFrameSync(fd: number, message: unknown): void {
  // One syscall for both parts, without copying the body behind its header.
  let parts = encodeFrame(message)
  for (;;) {
    let written: number
    try {
      written = writevSync(fd, parts)
    } catch (error) {
      // Only a non-blocking descriptor answers EAGAIN; wait for the reader rather than drop a frame.
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error
      Atomics.wait(retryPause, 0, 0, 1)
      continue
    }
    parts = rest(parts, written)
    if (parts.length === 0) return
  }
}

/** One message as a frame: its length header and its V8-serialized body. */
function encodeFrame(message: unknown): Buffer<ArrayBuffer>[] {
  const body = serialize(message)
  const header = Buffer.allocUnsafe(HEADER_BYTES)
  header.writeUInt32BE(body.byteLength, 0)
  return [header, body]
}

/** What of `parts` is left after the first `written` bytes went out (a partial write). */
export function rest(parts: readonly Buffer<ArrayBuffer>[], written: number): Buffer<ArrayBuffer>[] {
  const left: Buffer<ArrayBuffer>[] = []
  for (const part of parts) {
    if (written >= part.byteLength) written -= part.byteLength
    else {
      left.push(written > 0 ? part.subarray(written) : part)
      written = 0
    }
  }
  return left
}

/**
 * Feed it the pipe's chunks as they come; it answers the messages of the frames they completed,
 * in order (the caller dispatches them, so only a corrupt stream throws from here).
 */
export function createFrameReader(): (chunk: Buffer) => unknown[] {
  let chunks: Buffer[] = []
  let buffered = 0
  let needed = HEADER_BYTES
  let bodyBytes = -1
  const take = (bytes: number): Buffer => {
    const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered)
    const out = all.subarray(0, bytes)
    const rest = all.subarray(bytes)
    chunks = rest.byteLength > 0 ? [rest] : []
    buffered = rest.byteLength
    return out
  }
  return (chunk) => {
    const messages: unknown[] = []
    chunks.push(chunk)
    buffered += chunk.byteLength
    while (buffered >= needed) {
      if (bodyBytes < 0) {
        bodyBytes = take(HEADER_BYTES).readUInt32BE(0)
        if (bodyBytes > MAX_FRAME_BYTES) throw new Error(`A side-channel frame claims ${bodyBytes} bytes (over ${MAX_FRAME_BYTES}): the stream is corrupt`)
        needed = bodyBytes
        continue
      }
      const body = take(bodyBytes)
      bodyBytes = -1
      needed = HEADER_BYTES
      messages.push(deserialize(body))
    }
    return messages
  }
}
