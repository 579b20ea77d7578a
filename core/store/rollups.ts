import type Database from 'better-sqlite3'
import { BYTES_SCALE, MS_SCALE, bucketCount, bucketOf, decodeSparseIntoDense, encodeDense } from './histogram.ts'

export const MINUTE_MS = 60_000
const MS_BUCKETS = bucketCount(MS_SCALE)
const BYTES_BUCKETS = bucketCount(BYTES_SCALE)

/** The one definition of "error" used by rollups and by raw-row metrics alike. */
export function isError(outcome: string, status: number): boolean {
  return outcome !== 'ok' || status >= 500
}

export interface RollupInput {
  functionId: string
  version: number
  startedAt: number
  status: number
  outcome: string
  wallMs: number
  cpuMs: number
  peakMemoryBytes: number
}

interface Group {
  functionId: string
  minute: number
  version: number
  count: number
  errors: number
  wall: Float64Array
  cpu: Float64Array
  memory: Float64Array
  status: Record<string, number>
  outcome: Record<string, number>
}

/** One per-minute rollup row as stored. */
export interface RollupRow {
  count: number
  error_count: number
  wall_hist: Buffer
  cpu_hist: Buffer
  memory_hist: Buffer
  status_mix: string
  outcome_mix: string
}

/**
 * Folds a batch into the per-(function, minute, version) rollups. Must run inside the batch's
 * transaction: rows and rollups commit together, so metrics never disagree with the log, and
 * concurrent writers (other processes) serialise on the write lock.
 */
export function createRollupUpdater(db: Database.Database): (rows: readonly RollupInput[]) => void {
  const select = db.prepare<[string, number, number], RollupRow>(
    'SELECT count, error_count, wall_hist, cpu_hist, memory_hist, status_mix, outcome_mix FROM invocation_rollups WHERE function_id = ? AND minute = ? AND version = ?',
  )
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO invocation_rollups (function_id, minute, version, count, error_count, wall_hist, cpu_hist, memory_hist, status_mix, outcome_mix)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  return (rows) => {
    const groups = new Map<string, Group>()
    let group: Group | undefined
    for (const row of rows) {
      const minute = Math.floor(row.startedAt / MINUTE_MS)
      // A batch is mostly runs of one (function, minute, version): skip the key string for those.
      if (!group || group.minute !== minute || group.functionId !== row.functionId || group.version !== row.version) {
        const key = `${row.functionId}\u0000${minute}\u0000${row.version}`
        group = groups.get(key)
        if (!group) {
          group = { functionId: row.functionId, minute, version: row.version, count: 0, errors: 0, wall: new Float64Array(MS_BUCKETS), cpu: new Float64Array(MS_BUCKETS), memory: new Float64Array(BYTES_BUCKETS), status: {}, outcome: {} }
          groups.set(key, group)
        }
      }
      group.count++
      if (isError(row.outcome, row.status)) group.errors++
      group.wall[bucketOf(row.wallMs, MS_SCALE)]!++
      group.cpu[bucketOf(row.cpuMs, MS_SCALE)]!++
      group.memory[bucketOf(row.peakMemoryBytes, BYTES_SCALE)]!++
      group.status[row.status] = (group.status[row.status] ?? 0) + 1
      group.outcome[row.outcome] = (group.outcome[row.outcome] ?? 0) + 1
    }
    for (const g of groups.values()) {
      const existing = select.get(g.functionId, g.minute, g.version)
      if (existing) {
        g.count += existing.count
        g.errors += existing.error_count
        decodeSparseIntoDense(existing.wall_hist, g.wall)
        decodeSparseIntoDense(existing.cpu_hist, g.cpu)
        decodeSparseIntoDense(existing.memory_hist, g.memory)
        mergeCounts(g.status, JSON.parse(existing.status_mix) as Record<string, number>)
        mergeCounts(g.outcome, JSON.parse(existing.outcome_mix) as Record<string, number>)
      }
      upsert.run(g.functionId, g.minute, g.version, g.count, g.errors, encodeDense(g.wall), encodeDense(g.cpu), encodeDense(g.memory), JSON.stringify(g.status), JSON.stringify(g.outcome))
    }
  }
}

export function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, count] of Object.entries(from)) into[key] = (into[key] ?? 0) + count
}
