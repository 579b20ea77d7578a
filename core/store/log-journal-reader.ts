import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { HEADER_BYTES, MAX_FRAME_BYTES } from '../runtime/frame-channel.ts'
import { joinWire, type BegunWire, type DoneWire, type WireInvocation } from './invocation-wire.ts'
import { decodeJournalFrame } from './log-journal-codec.ts'
import type { JournalFrame } from './log-journal.ts'

/**
 * Where reading a journal resumes. `committedOffset`: every result before it is committed.
 * `resumeOffset` (≤ it): the first frame holding a begun record whose result is not, so a new
 * reader (after a restart, or after a failed commit) learns those again; results before
 * `committedOffset` are not written twice.
 */
export interface JournalProgress {
  resumeOffset: number
  committedOffset: number
}

export const START: JournalProgress = { resumeOffset: 0, committedOffset: 0 }

/**
 * How much of the file one read takes. A step wants at most a few hundred rows, often a few hundred
 * KB; 4 MB reads made the indexer copy (and fault in) 4 MB per step: ~23 µs of its CPU per
 * hello invocation at c=100 against ~15 µs with 256 KB. A frame larger than this is read on its own.
 */
const CHUNK_BYTES = 256 * 1024

export interface JournalReader {
  /**
   * Reads whole frames from where it stopped, until `maxRows` rows are complete or the file's
   * current end; `problems` are what could not be read (corrupt bytes, a result with no record).
   * `atEnd`: no whole frame is left to read (rather than `maxRows` reached).
   */
  read(maxRows: number): { rows: WireInvocation[]; problems: string[]; atEnd: boolean }
  progress(): JournalProgress
  /** Bytes past the last whole frame read (a frame being written, or one a dead writer cut short). */
  unreadBytes(): number
  /** The file's size now. */
  size(): number
  /** The file its writer went on in, once the marker frame was read. */
  readonly rotatedTo: string | null
  /** Begun records with no result yet: interrupted ones, at the end of a file whose writer is gone. */
  unfinished(): BegunWire[]
  close(): void
}

export function openJournalReader(file: string, from: JournalProgress): JournalReader {
  const fd = openSync(file, 'r')
  let offset = from.resumeOffset
  const begun = new Map<string, { wire: BegunWire; frameStart: number }>()
  let rotatedTo: string | null = null

  /** Applies one frame; rows completed go to `rows`. */
  const apply = (frame: JournalFrame, frameStart: number, frameEnd: number, rows: WireInvocation[], problems: string[]) => {
    const [starts, results, next] = frame
    for (const wire of starts) begun.set(wire[0], { wire, frameStart })
    // Results before the committed offset were written by an earlier reader: only forget their records.
    const replay = frameEnd <= from.committedOffset
    let orphans = 0
    for (const done of results) {
      const record = begun.get(done[0])
      if (!record) {
        orphans++
        continue
      }
      begun.delete(done[0])
      if (!replay) rows.push(joinWire(record.wire, done))
    }
    if (orphans > 0) problems.push(`${orphans} results at offset ${frameStart} of ${file} have no begun record; they were not logged`)
    if (typeof next === 'string') rotatedTo = next
  }

  const read = (maxRows: number) => {
    const rows: WireInvocation[] = []
    const problems: string[] = []
    const size = fstatSync(fd).size
    while (rows.length < maxRows && size - offset >= HEADER_BYTES) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, size - offset))
      const got = readSync(fd, chunk, 0, chunk.byteLength, offset)
      let at = 0
      while (rows.length < maxRows && got - at >= HEADER_BYTES) {
        const length = chunk.readUInt32BE(at)
        if (length > MAX_FRAME_BYTES) {
          problems.push(`corrupt frame length ${length} at offset ${offset + at} of ${file}; skipped the ${size - offset - at} bytes after it`)
          offset = size
          return { rows, problems, atEnd: true }
        }
        const end = at + HEADER_BYTES + length
        let body: Buffer
        if (end <= got) body = chunk.subarray(at + HEADER_BYTES, end)
        else if (at === 0 && offset + HEADER_BYTES + length <= size) {
          body = Buffer.allocUnsafe(length)
          readSync(fd, body, 0, length, offset + HEADER_BYTES)
        } else break
        const frameStart = offset + at
        try {
          apply(decodeJournalFrame(body), frameStart, frameStart + HEADER_BYTES + length, rows, problems)
        } catch (error) {
          problems.push(`unreadable frame at offset ${frameStart} of ${file} (${length} bytes: ${(error as Error).message}); skipped it`)
        }
        at += HEADER_BYTES + length
      }
      if (at === 0) break
      offset += at
    }
    return { rows, problems, atEnd: rows.length < maxRows }
  }

  return {
    read,
    progress() {
      let resumeOffset = offset
      for (const record of begun.values()) if (record.frameStart < resumeOffset) resumeOffset = record.frameStart
      return { resumeOffset, committedOffset: Math.max(offset, from.committedOffset) }
    },
    unreadBytes: () => fstatSync(fd).size - offset,
    size: () => fstatSync(fd).size,
    get rotatedTo() {
      return rotatedTo
    },
    unfinished: () => [...begun.values()].map((record) => record.wire),
    close: () => closeSync(fd),
  }
}
