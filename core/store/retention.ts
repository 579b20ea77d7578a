import type Database from 'better-sqlite3'
import type { RetentionResult } from './repos.ts'
import { MINUTE_MS } from './rollups.ts'

export interface RetentionPolicy {
  /** Log rows (and metric rollups) older than this are deleted. */
  maxAgeMs?: number
  /** Per function, only the newest this many log rows are kept. Rollups are not trimmed by count. */
  maxRowsPerFunction?: number
}

const CHUNK = 2000

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Deletes in chunks (2,000 rows by default), one short transaction each, yielding to the event
 * loop between chunks (`between`, which may also wait longer), so writers (this process's
 * batches and other processes) are never blocked for long.
 */
export function createRetention(db: Database.Database, policy: RetentionPolicy, now: () => number, chunk = CHUNK, between: () => Promise<void> = nextTurn): () => Promise<RetentionResult> {
  const functionIds = db.prepare<[], { function_id: string }>(
    'SELECT DISTINCT function_id FROM invocation_rollups UNION SELECT id FROM functions',
  )
  const deleteOlder = db.prepare(
    'DELETE FROM invocations WHERE seq IN (SELECT seq FROM invocations WHERE function_id = ? AND started_at < ? LIMIT ?)',
  )
  const nthNewest = db.prepare<[string, number], { started_at: number; seq: number }>(
    'SELECT started_at, seq FROM invocations WHERE function_id = ? ORDER BY started_at DESC, seq DESC LIMIT 1 OFFSET ?',
  )
  const deleteUpTo = db.prepare(
    'DELETE FROM invocations WHERE seq IN (SELECT seq FROM invocations WHERE function_id = ? AND (started_at, seq) <= (?, ?) LIMIT ?)',
  )
  const deleteRollups = db.prepare('DELETE FROM invocation_rollups WHERE minute < ?')

  const inChunks = async (run: () => number): Promise<number> => {
    let total = 0
    for (;;) {
      const changes = db.transaction(run).immediate()
      total += changes
      if (changes < chunk) return total
      await between()
    }
  }

  return async () => {
    const result: RetentionResult = { deletedByAge: 0, deletedByCount: 0 }
    const ids = functionIds.all().map((r) => r.function_id)
    const cutoff = policy.maxAgeMs === undefined ? undefined : now() - policy.maxAgeMs
    for (const id of ids) {
      if (cutoff !== undefined) result.deletedByAge += await inChunks(() => deleteOlder.run(id, cutoff, chunk).changes)
      if (policy.maxRowsPerFunction !== undefined) {
        // The newest row that must go: everything at or before it (in log order) is trimmed.
        const boundary = nthNewest.get(id, policy.maxRowsPerFunction)
        if (boundary) result.deletedByCount += await inChunks(() => deleteUpTo.run(id, boundary.started_at, boundary.seq, chunk).changes)
      }
    }
    if (cutoff !== undefined) deleteRollups.run(Math.floor(cutoff / MINUTE_MS))
    return result
  }
}
