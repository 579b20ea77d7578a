import type Database from 'better-sqlite3'
import { mayHoldFtsTokens } from './fts-tokens.ts'
import type { InvocationRow } from './invocation-row.ts'

const COLUMNS = `seq, id, function_id, version, trigger, method, path, query, request_headers, request_body, request_body_truncated,
  request_body_size, status, response_headers, response_body, response_body_truncated, response_body_size, outcome, error_message,
  error_stack, console, wall_ms, cpu_ms, peak_memory_bytes, cold_start, started_at, in_fts`
const PER_ROW = 27
/**
 * Rows per INSERT statement. One statement run costs a bind/step/reset round and a result object
 * whatever its size; 32 rows per statement measured ~0.5 µs less per row than one (batch 500).
 */
export const ROWS_PER_STATEMENT = 32

/**
 * Inserts log rows and their full-text entries; call it inside the batch's (IMMEDIATE)
 * transaction. Each row gets the seq SQLite would choose itself, one past the largest (the write
 * lock is ours for the whole batch), assigned here so that many rows can share one statement and
 * the full-text rowid is known without asking.
 */
export function createInvocationInserter(db: Database.Database): (rows: readonly InvocationRow[]) => void {
  const values = `(${Array<string>(PER_ROW).fill('?').join(', ')})`
  const insertMany = db.prepare(`INSERT INTO invocations (${COLUMNS}) VALUES ${Array<string>(ROWS_PER_STATEMENT).fill(values).join(', ')}`)
  const insertOne = db.prepare(`INSERT INTO invocations (${COLUMNS}) VALUES ${values}`)
  const insertFts = db.prepare('INSERT INTO invocations_fts (rowid, path, error, console) VALUES (?, ?, ?, ?)')
  const maxSeq = db.prepare<[], number | null>('SELECT max(seq) FROM invocations').pluck()
  const params: unknown[] = new Array(PER_ROW * ROWS_PER_STATEMENT)
  const one: unknown[] = new Array(PER_ROW)

  return (rows) => {
    const first = (maxSeq.get() ?? 0) + 1
    const inFts = rows.map(hasTerms)
    let i = 0
    for (; i + ROWS_PER_STATEMENT <= rows.length; i += ROWS_PER_STATEMENT) {
      for (let j = 0; j < ROWS_PER_STATEMENT; j++) setParams(params, j * PER_ROW, first + i + j, rows[i + j]!, inFts[i + j]!)
      // Spread, not the array: bound from the call's arguments, better-sqlite3 skips a property
      // lookup per value (~0.45 µs less per 27-value row, measured).
      insertMany.run(...params)
    }
    for (; i < rows.length; i++) {
      setParams(one, 0, first + i, rows[i]!, inFts[i]!)
      insertOne.run(...one)
    }
    // The delete trigger (migration 8) hands FTS5 these same three texts, read back from the row.
    for (let k = 0; k < rows.length; k++) if (inFts[k]) insertFts.run(first + k, rows[k]!.path, rows[k]!.errorMessage ?? '', rows[k]!.consoleText)
  }
}

/** A row without a single token could never be found by a search: it gets no full-text entry. */
function hasTerms(r: InvocationRow): boolean {
  return mayHoldFtsTokens(r.path) || mayHoldFtsTokens(r.consoleText) || (r.errorMessage !== null && mayHoldFtsTokens(r.errorMessage))
}

/** In COLUMNS order. */
function setParams(p: unknown[], o: number, seq: number, r: InvocationRow, inFts: boolean): void {
  p[o] = seq
  p[o + 1] = r.id
  p[o + 2] = r.functionId
  p[o + 3] = r.version
  p[o + 4] = r.trigger
  p[o + 5] = r.method
  p[o + 6] = r.path
  p[o + 7] = r.query
  p[o + 8] = r.requestHeaders
  p[o + 9] = r.requestBody
  p[o + 10] = r.requestBodyTruncated
  p[o + 11] = r.requestBodySize
  p[o + 12] = r.status
  p[o + 13] = r.responseHeaders
  p[o + 14] = r.responseBody
  p[o + 15] = r.responseBodyTruncated
  p[o + 16] = r.responseBodySize
  p[o + 17] = r.outcome
  p[o + 18] = r.errorMessage
  p[o + 19] = r.errorStack
  p[o + 20] = r.console
  p[o + 21] = r.wallMs
  p[o + 22] = r.cpuMs
  p[o + 23] = r.peakMemoryBytes
  p[o + 24] = r.coldStart
  p[o + 25] = r.startedAt
  p[o + 26] = inFts ? 1 : 0
}
