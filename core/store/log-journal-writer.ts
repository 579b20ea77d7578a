import { closeSync, fstatSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { createJournalEncoder, encodeJournalFrame, type BegunInput } from './log-journal-codec.ts'
import { nextJournalName, ROTATE_BYTES } from './log-journal.ts'

/** How long a finished row may wait for the next batch's write before it is written on its own. */
const DONE_DELAY_MS = 2
/** Frames kept in memory while the disk refuses them (full, read-only); past this the oldest go. */
const MAX_UNWRITTEN_BYTES = 64 * 1024 * 1024

export interface LogJournalWriter {
  /** Before the invocation runs: its crash record, written with the next `writeNow` (or the turn's write). */
  began(invocation: BegunInput): void
  /** Its result; written on the next turn with whatever else finished. Not an acknowledgement. */
  enqueue(invocation: NewInvocation): string
  append(invocation: NewInvocation): Promise<string>
  /** Writes what is pending now, in one frame: called before a batch enters an isolate. */
  writeNow(): void
  close(): void
}

export interface LogJournalWriterOptions {
  /** The file size past which the journal goes on in the next file (default 64 MB). */
  rotateBytes?: number
  /** Bodies longer than this are journaled as a prefix of this many bytes and their size (see body-prefix.ts); default: whole. */
  bodyBytes?: number
}

/**
 * The worker's side of its log journal (see log-journal.ts). Writes are synchronous and whole: a
 * frame is in the kernel when `writeNow` returns, and a write that fails part-way is cut back off
 * the file and tried again later, so the file only ever holds whole frames.
 */
export function createLogJournalWriter(file: string, onError: (error: unknown) => void, options: LogJournalWriterOptions = {}): LogJournalWriter {
  const rotateBytes = options.rotateBytes ?? ROTATE_BYTES
  const bodyBytes = options.bodyBytes ?? Infinity
  const folder = dirname(file)
  let name = basename(file)
  let fd = openSync(file, 'a', 0o600)
  let size = fstatSync(fd).size
  /** The frame being gathered: records are encoded as they happen. */
  const pending = createJournalEncoder(bodyBytes)
  /** Begun and not done yet: carried into the next file when this one rotates. */
  const unfinished = new Map<string, BegunInput>()
  let unwritten: Buffer[] = []
  let unwrittenBytes = 0
  let failing = false
  /**
   * Armed by a result when none is armed, and not cleared by a batch's write: under load the
   * batches write the results and the timer finds little or nothing left, so the worker pays one
   * timer per DONE_DELAY_MS instead of a set and a clear per batch.
   */
  let timer: NodeJS.Timeout | null = null
  const late = () => {
    timer = null
    writeNow()
  }

  /** Appends one frame; false (the file cut back to its last whole frame) when the disk refused it. */
  const writeFrame = (frame: Buffer, to = fd): boolean => {
    const start = to === fd ? size : 0
    let written = 0
    try {
      while (written < frame.byteLength) written += writeSync(to, frame, written)
    } catch (error) {
      try {
        ftruncateSync(to, start)
      } catch {
        // The next whole write goes on after the cut-short one; the reader reports it and goes on.
      }
      if (!failing) onError(new Error(`The log journal ${join(folder, name)} refused a write (${(error as Error).message}); keeping the rows in memory and retrying`))
      failing = true
      return false
    }
    if (to === fd) size += frame.byteLength
    failing = false
    return true
  }

  /** A frame the disk refused, copied out of the encoder's buffer, to be written first later. */
  const keep = (frame: Buffer) => {
    unwritten.push(Buffer.from(frame))
    unwrittenBytes += frame.byteLength
    while (unwrittenBytes > MAX_UNWRITTEN_BYTES && unwritten.length > 1) {
      unwrittenBytes -= unwritten.shift()!.byteLength
      onError(new Error(`The log journal ${join(folder, name)} has refused writes for too long: dropped a frame of log rows`))
    }
  }

  /**
   * Goes on in the next file of the series. The unfinished invocations' records are written there
   * first, then the marker here: a worker killed in between leaves them in both files (the second
   * copy is refused as a duplicate id) rather than in neither.
   */
  const rotate = () => {
    const next = nextJournalName(name)
    const nextPath = join(folder, next)
    let nextFd: number
    try {
      nextFd = openSync(nextPath, 'a', 0o600)
    } catch (error) {
      onError(error)
      return
    }
    const giveUp = () => {
      closeSync(nextFd)
      unlinkSync(nextPath)
    }
    let carried = 0
    if (unfinished.size > 0) {
      const frame = encodeJournalFrame([...unfinished.values()], [], undefined, bodyBytes)
      carried = frame.byteLength
      if (!writeFrame(frame, nextFd)) return giveUp()
    }
    if (!writeFrame(encodeJournalFrame([], [], next))) return giveUp()
    closeSync(fd)
    fd = nextFd
    name = next
    size = carried
  }

  const writeNow = () => {
    while (unwritten.length > 0 && writeFrame(unwritten[0]!)) unwrittenBytes -= unwritten.shift()!.byteLength
    if (pending.empty) return
    const frame = pending.take()
    if (unwritten.length > 0 || !writeFrame(frame)) keep(frame)
    else if (size >= rotateBytes) rotate()
  }

  const enqueue = (invocation: NewInvocation) => {
    // Every invocation the front logs carries the id it was begun with.
    const id = invocation.id!
    unfinished.delete(id)
    pending.done(id, invocation.result)
    // Under load the next batch writes it with its crash records (one write for both); when none comes, this does.
    timer ??= setTimeout(late, DONE_DELAY_MS)
    return id
  }

  return {
    began(invocation) {
      unfinished.set(invocation.id, invocation)
      pending.begun(invocation)
    },
    enqueue,
    append: async (invocation) => enqueue(invocation),
    writeNow,
    close() {
      if (timer) clearTimeout(timer)
      timer = null
      writeNow()
      closeSync(fd)
    },
  }
}
