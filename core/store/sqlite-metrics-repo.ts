import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import {
  MAX_SERIES_POINTS,
  metricsQuerySchema,
  type MetricsReport,
  type Percentiles,
  type SeriesPoint,
} from '../../common/model/metrics.ts'
import type { OutcomeKind } from '../../common/model/outcome.ts'
import { parseOrThrow } from '../../common/validation.ts'
import {
  BYTES_SCALE,
  MS_SCALE,
  PERCENTILE_RELATIVE_ERROR,
  bucketCount,
  bucketOf,
  decodeSparseIntoDense,
  percentilesFromCounts,
  type HistogramScale,
  type SparseHistogram,
} from './histogram.ts'
import type { MetricsRepo } from './repos.ts'
import { MINUTE_MS, isError, mergeCounts, type RollupRow as StoredRollup } from './rollups.ts'

type RollupRow = StoredRollup & { minute: number }

interface RawRow {
  started_at: number
  status: number
  outcome: string
  wall_ms: number
  cpu_ms: number
  peak_memory_bytes: number
}

/** Dense per-point histograms: decoding rollup blobs into typed arrays is several times faster than into Maps. */
interface SeriesAcc {
  count: number
  errors: number
  wall: Float64Array
  cpu: Float64Array
  memory: Float64Array
  outcomes: Record<string, number>
}

const PS = [0.5, 0.9, 0.95, 0.99] as const

/**
 * Metrics come from the per-minute rollups for every whole minute of the window, plus the raw
 * rows of the partial minutes at either edge, so counts, rates and mixes are exact for any
 * window and percentiles carry the histogram's bounded error (PERCENTILE_RELATIVE_ERROR). Cost
 * grows with the window's minutes, not its invocations: see docs/store.md for why not exact.
 */
export function createSqliteMetricsRepo(db: Database.Database): MetricsRepo {
  const rollupSql = (byVersion: boolean) =>
    `SELECT minute, count, error_count, wall_hist, cpu_hist, memory_hist, status_mix, outcome_mix FROM invocation_rollups
     WHERE function_id = ? AND minute >= ? AND minute < ?${byVersion ? ' AND version = ?' : ''}`
  const rawSql = (byVersion: boolean) =>
    `SELECT started_at, status, outcome, wall_ms, cpu_ms, peak_memory_bytes FROM invocations INDEXED BY invocations_function_time
     WHERE function_id = ? AND started_at >= ? AND started_at < ?${byVersion ? ' AND version = ?' : ''}`
  const rollups = { all: db.prepare<unknown[], RollupRow>(rollupSql(false)), version: db.prepare<unknown[], RollupRow>(rollupSql(true)) }
  const raws = { all: db.prepare<unknown[], RawRow>(rawSql(false)), version: db.prepare<unknown[], RawRow>(rawSql(true)) }

  return {
    async get(input) {
      const q = parseOrThrow(metricsQuerySchema, input, 'metrics query')
      const span = q.to - q.from
      const bucketMs = q.bucketMs ?? Math.max(1, Math.ceil(span / 60 / MINUTE_MS)) * MINUTE_MS
      const seriesStart = Math.floor(q.from / bucketMs) * bucketMs
      const points = Math.ceil((q.to - seriesStart) / bucketMs)
      if (points > MAX_SERIES_POINTS) throw new AppError('validation_failed', `Window has ${points} series points; use a bucketMs of at least ${Math.ceil(span / MAX_SERIES_POINTS / MINUTE_MS) * MINUTE_MS}`)

      const byVersion = q.version !== undefined
      const extra = byVersion ? [q.version] : []
      const wall = new Float64Array(bucketCount(MS_SCALE))
      const cpu = new Float64Array(bucketCount(MS_SCALE))
      const memory = new Float64Array(bucketCount(BYTES_SCALE))
      const statusCodes: Record<string, number> = {}
      const outcomes: Record<string, number> = {}
      const msBuckets = bucketCount(MS_SCALE)
      const byteBuckets = bucketCount(BYTES_SCALE)
      const series: SeriesAcc[] = Array.from({ length: points }, () => ({
        count: 0,
        errors: 0,
        wall: new Float64Array(msBuckets),
        cpu: new Float64Array(msBuckets),
        memory: new Float64Array(byteBuckets),
        outcomes: {},
      }))
      let count = 0
      let errorCount = 0
      const seriesAt = (ms: number) => series[Math.floor((ms - seriesStart) / bucketMs)]!

      const firstFull = Math.ceil(q.from / MINUTE_MS)
      const endFull = Math.floor(q.to / MINUTE_MS)
      const rawRanges: [number, number][] =
        firstFull >= endFull ? [[q.from, q.to]] : [[q.from, firstFull * MINUTE_MS], [endFull * MINUTE_MS, q.to]]

      if (firstFull < endFull) {
        for (const r of (byVersion ? rollups.version : rollups.all).iterate(q.functionId, firstFull, endFull, ...extra)) {
          count += r.count
          errorCount += r.error_count
          decodeSparseIntoDense(r.wall_hist, wall)
          decodeSparseIntoDense(r.cpu_hist, cpu)
          decodeSparseIntoDense(r.memory_hist, memory)
          mergeCounts(statusCodes, JSON.parse(r.status_mix) as Record<string, number>)
          const outcomeMix = JSON.parse(r.outcome_mix) as Record<string, number>
          mergeCounts(outcomes, outcomeMix)
          const point = seriesAt(r.minute * MINUTE_MS)
          point.count += r.count
          point.errors += r.error_count
          decodeSparseIntoDense(r.wall_hist, point.wall)
          decodeSparseIntoDense(r.cpu_hist, point.cpu)
          decodeSparseIntoDense(r.memory_hist, point.memory)
          mergeCounts(point.outcomes, outcomeMix)
        }
      }
      for (const [from, to] of rawRanges) {
        if (from >= to) continue
        for (const r of (byVersion ? raws.version : raws.all).iterate(q.functionId, from, to, ...extra)) {
          const failed = isError(r.outcome, r.status)
          const wallBucket = bucketOf(r.wall_ms, MS_SCALE)
          const cpuBucket = bucketOf(r.cpu_ms, MS_SCALE)
          const memoryBucket = bucketOf(r.peak_memory_bytes, BYTES_SCALE)
          count++
          if (failed) errorCount++
          wall[wallBucket]!++
          cpu[cpuBucket]!++
          memory[memoryBucket]!++
          statusCodes[r.status] = (statusCodes[r.status] ?? 0) + 1
          outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1
          const point = seriesAt(r.started_at)
          point.count++
          if (failed) point.errors++
          point.wall[wallBucket]!++
          point.cpu[cpuBucket]!++
          point.memory[memoryBucket]!++
          point.outcomes[r.outcome] = (point.outcomes[r.outcome] ?? 0) + 1
        }
      }

      const report: MetricsReport = {
        functionId: q.functionId,
        version: q.version ?? null,
        from: q.from,
        to: q.to,
        bucketMs,
        count,
        errorCount,
        errorRate: count === 0 ? 0 : errorCount / count,
        wallMs: percentiles(wall, count, MS_SCALE),
        cpuMs: percentiles(cpu, count, MS_SCALE),
        peakMemoryBytes: percentiles(memory, count, BYTES_SCALE),
        statusCodes,
        outcomes: outcomes as Partial<Record<OutcomeKind, number>>,
        series: series.map(
          (p, i): SeriesPoint => ({
            start: seriesStart + i * bucketMs,
            count: p.count,
            errorCount: p.errors,
            wallMs: percentiles(p.wall, p.count, MS_SCALE),
            cpuMs: percentiles(p.cpu, p.count, MS_SCALE),
            peakMemoryBytes: percentiles(p.memory, p.count, BYTES_SCALE),
            outcomes: p.outcomes as Partial<Record<OutcomeKind, number>>,
          }),
        ),
        percentileRelativeError: PERCENTILE_RELATIVE_ERROR,
      }
      return report
    },
  }
}

function percentiles(counts: Float64Array | SparseHistogram, total: number, scale: HistogramScale): Percentiles | null {
  if (total === 0) return null
  const [p50, p90, p95, p99] = percentilesFromCounts(counts, total, PS, scale)
  return { p50: p50!, p90: p90!, p95: p95!, p99: p99! }
}
