import type { BegunWire, DoneWire } from './invocation-wire.ts'

/**
 * A runtime worker's log journal: the file its HTTP front appends its invocations to, read back
 * and committed to SQLite by the journal indexer (an idle-priority process of the host). It is the
 * durable record between serving and the searchable log: every write is whole frames (encoded by
 * log-journal-codec.ts), so a crash record is in the kernel before guest code runs, and what a dead
 * worker left is still read to its last complete frame.
 *
 * One frame: `[begun, done, rotatedTo?]`.
 * - `begun`: invocations about to enter an isolate (written before they do). One that never gets
 *   its `done` in the same file is logged as `internal_error`: its worker died.
 * - `done`: results of invocations begun earlier in the same file.
 * - `rotatedTo`: the last frame of a file that grew past its size; the worker goes on in the named
 *   file (same folder) and wrote its unfinished invocations' `begun` records there again, so every
 *   file is complete on its own, and what is unfinished at the end of a rotated file is not lost.
 */
export type JournalFrame = [begun: BegunWire[], done: DoneWire[], rotatedTo?: string]

export const JOURNAL_SUFFIX = '.journal'

/** A journal's file name: the worker's series, then its sequence number (rotation). */
export function journalName(series: string, sequence: number): string {
  return `${series}.${String(sequence).padStart(6, '0')}${JOURNAL_SUFFIX}`
}

const NAME = /^(.+)\.(\d{6})\.journal$/

function parse(name: string): [series: string, sequence: number] {
  const match = NAME.exec(name)
  if (!match) throw new Error(`Not a journal file name: ${name}`)
  return [match[1]!, Number(match[2])]
}

export const isJournalName = (name: string): boolean => NAME.test(name)

/** The worker a journal belongs to: every file of one worker shares it. */
export const seriesOf = (name: string): string => parse(name)[0]

/** The name of the file that follows `name` in its series. */
export function nextJournalName(name: string): string {
  const [series, sequence] = parse(name)
  return journalName(series, sequence + 1)
}

/** Bytes after which a worker starts a new file (the indexer removes a file once it is read whole). */
export const ROTATE_BYTES = 64 * 1024 * 1024
