/**
 * Entry of the log journal indexer, a process of its own that the host starts at idle CPU priority
 * (log-journal-indexer.ts): it reads the workers' journals (log-journal.ts) and commits their
 * rows, full-text entries and rollups to SQLite, with each journal's progress in the same
 * transaction. Under load the serving processes have the cores and the journals grow; when load
 * eases it catches up. A process rather than a thread: its garbage collection and every other
 * thread of it run at its priority too.
 */
import { existsSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { failureResult } from '../runtime/invocation-record.ts'
import { createIndexGate } from './index-gate.ts'
import { createInvocationInserter } from './invocation-inserter.ts'
import { invalidInvocationReason, toInvocationRow, type InvocationRow, type RedactionRules } from './invocation-row.ts'
import { fromWire, type BegunWire, type WireInvocation } from './invocation-wire.ts'
import { seriesOf } from './log-journal.ts'
import type { FromIndexer, IndexerStart, ToIndexer } from './log-journal-protocol.ts'
import { openJournalReader, START, type JournalProgress, type JournalReader } from './log-journal-reader.ts'
import { createRetention } from './retention.ts'
import { createRollupUpdater } from './rollups.ts'
import { openDatabase } from './sqlite-database.ts'

const post = (message: FromIndexer) => void process.send?.(message)
const report = (message: string) => post({ type: 'error', message })
// The host is gone: nothing is lost by stopping (progress is saved with every commit).
process.on('disconnect', () => process.exit(0))
const data = JSON.parse(process.argv[2] ?? '') as IndexerStart

const db = openDatabase(data.dbFile, data.durability)
const insertRows = createInvocationInserter(db)
const updateRollups = createRollupUpdater(db)
const savedProgress = db.prepare<[string], { resume_offset: number; committed_offset: number; finished: number }>('SELECT resume_offset, committed_offset, finished FROM log_journals WHERE name = ?')
const saveProgress = db.prepare(`INSERT INTO log_journals (name, resume_offset, committed_offset, finished) VALUES (?, ?, ?, ?)
  ON CONFLICT (name) DO UPDATE SET resume_offset = excluded.resume_offset, committed_offset = excluded.committed_offset, finished = excluded.finished`)
const forget = db.prepare('DELETE FROM log_journals WHERE name = ?')

interface Journal {
  name: string
  reader: JournalReader
  /** What the last commit saved: a failed commit reopens the reader here. */
  saved: JournalProgress
}

const journals = new Map<string, Journal>()
/** Series whose worker is gone: the file each ends with is final. */
const gone = new Set<string>()

function open(name: string): void {
  if (journals.has(name)) return
  const row = savedProgress.get(name)
  if (row?.finished) return remove(name)
  const saved = row ? { resumeOffset: row.resume_offset, committedOffset: row.committed_offset } : START
  try {
    journals.set(name, { name, reader: openJournalReader(join(data.dir, name), saved), saved })
  } catch (error) {
    report(`Cannot read the log journal ${name}: ${(error as Error).message}`)
  }
}

/** A journal read whole and committed: its file and then its progress row go. */
function remove(name: string): void {
  try {
    unlinkSync(join(data.dir, name))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return report(`Cannot remove the log journal ${name}: ${(error as Error).message}`)
  }
  forget.run(name)
}

let nextRules = 1
const rulesWaiting = new Map<number, { resolve(rules: Map<string, RedactionRules>): void; reject(error: Error): void }>()
const askRules = (functionIds: string[]) =>
  new Promise<Map<string, RedactionRules>>((resolve, reject) => {
    const id = nextRules++
    rulesWaiting.set(id, { resolve, reject })
    post({ type: 'rules', id, functionIds })
  })

const interrupted = (wire: BegunWire): NewInvocation => {
  const [id, functionId, version, trigger, startedAt, method, url, path, query, headers, body] = wire
  const result = failureResult('internal_error', 'The runtime worker stopped while this invocation was in flight', Math.max(0, Date.now() - startedAt))
  return { id, functionId, version, trigger, startedAt, request: { method, url, path, query, headers, body }, result }
}

type Progress = [name: string, resume: number, committed: number, finished: number]

const commitAll = db.transaction((rows: InvocationRow[], progress: Progress[]) => {
  if (rows.length > 0) {
    insertRows(rows)
    updateRollups(rows)
  }
  for (const p of progress) saveProgress.run(...p)
})
/** After a constraint failure: the rows one by one (a savepoint each), leaving out those that fail. */
const insertOne = db.transaction((row: InvocationRow) => insertRows([row]))
const commitEach = db.transaction((rows: InvocationRow[], progress: Progress[]) => {
  const written: InvocationRow[] = []
  for (const row of rows) {
    try {
      insertOne(row)
      written.push(row)
    } catch (error) {
      report(`Log row ${row.id} was not written: ${(error as Error).message}`)
    }
  }
  updateRollups(written)
  for (const p of progress) saveProgress.run(...p)
})

/** Rows ready to commit: validated, redacted and capped (a bad one is reported and left out). */
async function toRows(invocations: NewInvocation[]): Promise<InvocationRow[]> {
  const valid = invocations.filter((inv) => {
    const reason = invalidInvocationReason(inv)
    if (reason) report(`A journal row was not logged: ${reason}`)
    return !reason
  })
  if (valid.length === 0) return []
  const rules = await askRules([...new Set(valid.map((inv) => inv.functionId))])
  const rows: InvocationRow[] = []
  for (const inv of valid) {
    try {
      rows.push(toInvocationRow(inv.id!, inv, rules.get(inv.functionId)!, data.bodyCapBytes))
    } catch (error) {
      report(`Log row ${inv.id} was not written: ${(error as Error).message}`)
    }
  }
  return rows
}

let turn = 0
const gate = createIndexGate(data.gate)

/** Journal bytes not read yet (what was read is committed before the next step reads on). */
function backlogBytes(): number {
  let bytes = 0
  for (const journal of journals.values()) {
    try {
      bytes += journal.reader.unreadBytes()
    } catch {
      // Unreadable now: the step that reads it says why.
      return Infinity
    }
  }
  return bytes
}

/**
 * One transaction's worth: reads every journal (up to `maxRows` rows in all), then commits what it
 * read with the journals' progress. Journals read to their end whose writer is gone (or went on
 * in a rotated file) are closed out in the same transaction. False when there was nothing to do.
 */
async function step(): Promise<boolean> {
  const wires: WireInvocation[] = []
  const read: Journal[] = []
  const ending: Journal[] = []
  const extra: NewInvocation[] = []
  // Each step starts at the next journal, so one busy worker's backlog does not hold up the others'.
  const order = [...journals.values()]
  const first = order.length > 0 ? turn++ % order.length : 0
  for (const journal of [...order.slice(first), ...order.slice(0, first)]) {
    if (wires.length >= data.maxRows) break
    const before = journal.reader.progress()
    const { rows, problems, atEnd } = journal.reader.read(data.maxRows - wires.length)
    for (const problem of problems) report(problem)
    for (const row of rows) wires.push(row)
    const after = journal.reader.progress()
    if (after.committedOffset !== before.committedOffset || after.resumeOffset !== before.resumeOffset) read.push(journal)
    const rotated = journal.reader.rotatedTo
    if (atEnd && (rotated !== null || gone.has(seriesOf(journal.name)))) {
      const cut = journal.reader.unreadBytes()
      if (rotated === null && cut > 0) report(`The log journal ${journal.name} ends with ${cut} bytes of a frame its worker did not finish writing`)
      // A rotated file's unfinished invocations go on in the next file; a dead worker's were interrupted.
      if (rotated === null) for (const wire of journal.reader.unfinished()) extra.push(interrupted(wire))
      ending.push(journal)
    }
  }
  if (wires.length === 0 && read.length === 0 && ending.length === 0) return false
  const invocations = wires.map(fromWire) as NewInvocation[]
  for (const inv of extra) invocations.push(inv)
  const progress: Progress[] = []
  for (const journal of new Set([...read, ...ending])) {
    const p = journal.reader.progress()
    progress.push([journal.name, p.resumeOffset, p.committedOffset, ending.includes(journal) ? 1 : 0])
  }
  try {
    const rows = await toRows(invocations)
    try {
      commitAll.immediate(rows, progress)
    } catch (error) {
      if (!String((error as { code?: unknown }).code).startsWith('SQLITE_CONSTRAINT')) throw error
      commitEach.immediate(rows, progress)
    }
  } catch (error) {
    // Nothing was committed: read it all again from the last commit, later.
    report(`Log rows from the journals were not committed (${(error as Error).message}); retrying`)
    for (const journal of new Set([...read, ...ending])) {
      journal.reader.close()
      journal.reader = openJournalReader(join(data.dir, journal.name), journal.saved)
    }
    throw error
  }
  for (const journal of read) {
    journal.saved = journal.reader.progress()
    post({ type: 'indexed', name: journal.name, offset: journal.saved.committedOffset })
  }
  for (const journal of ending) {
    journal.reader.close()
    journals.delete(journal.name)
    const next = journal.reader.rotatedTo
    remove(journal.name)
    if (next) open(next)
    // What a flush waits for in a rotated file may have gone on in the next one.
    for (const f of flushes) if (f.targets.delete(journal.name) && next && journals.has(next)) f.targets.set(next, journals.get(next)!.reader.size())
  }
  answerFlushes()
  return true
}

/**
 * A flush waits for each journal's bytes as they were when it arrived (`targets`); an idle pass
 * over every journal that began after it also answers it.
 */
interface Flush {
  seq: number
  generation: number
  targets: Map<string, number>
}
let flushes: Flush[] = []

function answerFlushes(): void {
  flushes = flushes.filter((f) => {
    for (const [name, size] of f.targets) {
      const journal = journals.get(name)
      if (!journal || journal.saved.committedOffset >= size) f.targets.delete(name)
    }
    if (f.targets.size > 0) return true
    post({ type: 'flushed', seq: f.seq })
    return false
  })
}
/** Counts pumps started: a flush is answered by an idle pump that began after it arrived. */
let generation = 0
let pumping: Promise<void> | null = null
let failures = 0
let closing = false

async function pumpOnce(): Promise<void> {
  const started = ++generation
  for (;;) {
    // A flush and a close are answered now; a burst may wait for a free core.
    if (flushes.length === 0 && !closing && !gate.mayIndex(backlogBytes())) return
    let worked: boolean
    try {
      worked = await step()
      failures = 0
    } catch {
      failures++
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 50 * 2 ** failures)))
      if (closing && failures > 5) return
      continue
    }
    if (!worked) break
    // Let messages in (rules replies, flushes) between transactions.
    await new Promise(setImmediate)
  }
  const answered = flushes.filter((f) => f.generation < started)
  flushes = flushes.filter((f) => f.generation >= started)
  for (const f of answered) post({ type: 'flushed', seq: f.seq })
}

function pump(): Promise<void> {
  pumping ??= pumpOnce().finally(() => {
    pumping = null
    if (flushes.length > 0) void pump()
  })
  return pumping
}

const timer = setInterval(() => void pump(), data.pollMs)

/** When the running retention pass was due: before each chunk it waits for a free core as a burst's rows do, from then on. */
let passDue = 0
const freeCoreForRetention = async () => {
  while (!closing && !gate.mayRun(passDue)) await new Promise((resolve) => setTimeout(resolve, data.pollMs))
}
/**
 * Retention deletes in chunks of 500 (a quarter of the host's): this process may be kept off the
 * cores while it holds the write lock, and the host's own writes wait for that lock.
 */
const enforceRetention = data.retention ? createRetention(db, data.retention, Date.now, 500, freeCoreForRetention) : null
let retaining: Promise<unknown> | null = null
const retentionTimer = data.retention
  ? setInterval(() => {
      retaining ??= (async () => {
        passDue = Date.now()
        await freeCoreForRetention()
        return enforceRetention!()
      })()
        .catch((error: unknown) => report(`A log retention pass failed: ${(error as Error).message}`))
        .finally(() => (retaining = null))
    }, data.retention.intervalMs)
  : null

process.on('message', (message: ToIndexer) => {
  switch (message.type) {
    case 'open':
      open(message.name)
      return
    case 'gone':
      gone.add(seriesOf(message.name))
      void pump()
      return
    case 'rules': {
      const waiting = rulesWaiting.get(message.id)
      rulesWaiting.delete(message.id)
      if ('error' in message) waiting?.reject(new Error(message.error))
      else waiting?.resolve(new Map(message.rules))
      return
    }
    case 'flush':
      flushes.push({ seq: message.seq, generation, targets: new Map([...journals.values()].map((j) => [j.name, j.reader.size()])) })
      void pump()
      return
    case 'close':
      closing = true
      clearInterval(timer)
      if (retentionTimer) clearInterval(retentionTimer)
      void (async () => {
        await retaining
        await pumping
        await pump()
        for (const journal of journals.values()) journal.reader.close()
        db.close()
        post({ type: 'closed' })
        process.disconnect()
      })()
  }
})

// Progress rows of files no longer there (removed just before a previous run stopped).
for (const { name } of db.prepare<[], { name: string }>('SELECT name FROM log_journals').all()) if (!existsSync(join(data.dir, name))) forget.run(name)
