import { AppError } from '../../common/errors.ts'
import type { LogQuery } from '../../common/model/invocation-log.ts'

export interface LogCursor {
  startedAt: number
  seq: number
}

/** Keyset cursor: the (started_at, seq) of the last row served. Stable under concurrent inserts, unlike OFFSET. */
export function encodeCursor(cursor: LogCursor): string {
  return Buffer.from(JSON.stringify([cursor.startedAt, cursor.seq]), 'utf8').toString('base64url')
}

export function decodeCursor(value: string): LogCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'))
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((n) => Number.isSafeInteger(n))) {
      return { startedAt: parsed[0] as number, seq: parsed[1] as number }
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'Invalid log cursor; start again from the first page')
}

/** Every word must appear; the last one may be a prefix (search as you type). Quoting disables FTS operators. */
export function ftsExpression(text: string): string | null {
  const words = text.split(/\s+/).filter(Boolean)
  if (words.length === 0) return null
  return words.map((w, i) => `"${w.replaceAll('"', '""')}"${i === words.length - 1 ? '*' : ''}`).join(' ')
}

/** GLOB is case-sensitive (LIKE is not); bracket the metacharacters so the prefix matches literally. */
function globPrefix(prefix: string): string {
  return `${prefix.replace(/[*?[]/g, (c) => `[${c}]`)}*`
}

export const SUMMARY_COLUMNS =
  'seq, id, function_id, version, trigger, method, path, status, outcome, error_message, wall_ms, cpu_ms, peak_memory_bytes, cold_start, started_at'

/** True when the query filters on more than function, time window and cursor, so a page may need to skip rows. */
export function hasRowFilters(q: LogQuery): boolean {
  return !!(q.outcomes || q.methods || q.text || q.pathPrefix !== undefined || q.statusMin !== undefined || q.statusMax !== undefined || q.minDurationMs !== undefined || q.version !== undefined)
}

/** The window every page walks: one function, optional time range, below the cursor. */
function windowClauses(q: LogQuery): { where: string[]; params: unknown[] } {
  const where = ['function_id = ?']
  const params: unknown[] = [q.functionId]
  if (q.from !== undefined) where.push('started_at >= ?'), params.push(q.from)
  if (q.to !== undefined) where.push('started_at < ?'), params.push(q.to)
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor)
    where.push('(started_at, seq) < (?, ?)')
    params.push(c.startedAt, c.seq)
  }
  return { where, params }
}

/**
 * The oldest row a page may examine: the `budget`-th row of the window, read from the covering
 * (function_id, started_at, rowid) index alone. Null when fewer rows remain than the budget.
 */
export function buildScanBoundaryQuery(q: LogQuery, budget: number): { sql: string; params: unknown[] } {
  const { where, params } = windowClauses(q)
  return {
    sql: `SELECT started_at, seq FROM invocations INDEXED BY invocations_function_time WHERE ${where.join(' AND ')} ORDER BY started_at DESC, seq DESC LIMIT 1 OFFSET ?`,
    params: [...params, budget - 1],
  }
}

/** Builds one page's SQL: walks the (function_id, started_at) index newest first, filters, stops after limit + 1 or at the boundary. */
export function buildLogQuery(q: LogQuery, boundary: LogCursor | null): { sql: string; params: unknown[] } {
  const { where, params } = windowClauses(q)
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause)
    params.push(...values)
  }
  if (boundary) add('(started_at, seq) >= (?, ?)', boundary.startedAt, boundary.seq)
  if (q.outcomes) add(`outcome IN (${q.outcomes.map(() => '?').join(', ')})`, ...q.outcomes)
  if (q.statusMin !== undefined) add('status >= ?', q.statusMin)
  if (q.statusMax !== undefined) add('status <= ?', q.statusMax)
  if (q.methods) add(`method IN (${q.methods.map(() => '?').join(', ')})`, ...q.methods)
  if (q.pathPrefix !== undefined) add('path GLOB ?', globPrefix(q.pathPrefix))
  if (q.minDurationMs !== undefined) add('wall_ms >= ?', q.minDurationMs)
  if (q.version !== undefined) add('version = ?', q.version)
  const fts = q.text === undefined ? null : ftsExpression(q.text)
  if (fts) add('seq IN (SELECT rowid FROM invocations_fts WHERE invocations_fts MATCH ?)', fts)
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM invocations INDEXED BY invocations_function_time WHERE ${where.join(' AND ')} ORDER BY started_at DESC, seq DESC LIMIT ?`,
    params: [...params, q.limit + 1],
  }
}
