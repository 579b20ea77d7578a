import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MetricsQueryInput, Percentiles } from '../../common/model/metrics.ts'
import type { OutcomeKind } from '../../common/model/outcome.ts'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'
import { PERCENTILE_RELATIVE_ERROR } from './histogram.ts'
import { seededRandom } from './fixtures/seeded-random.ts'

const MIN = 60_000
const T0 = Date.UTC(2025, 2, 1, 12, 0, 0)

interface Point {
  version: number
  startedAt: number
  status: number
  outcome: OutcomeKind
  wallMs: number
  cpuMs: number
  mem: number
}

const rand = seededRandom(42)
const kinds: OutcomeKind[] = ['ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'runtime_error', 'timeout', 'memory_limit', 'internal_error']
/** 3,000 invocations over 10 minutes, two versions, long-tailed durations, a mix of statuses and outcomes. */
const data: Point[] = Array.from({ length: 3000 }, () => {
  const outcome = kinds[Math.floor(rand() * kinds.length)]!
  const status = outcome === 'ok' ? [200, 200, 200, 201, 404, 502][Math.floor(rand() * 6)]! : outcome === 'timeout' ? 504 : outcome === 'internal_error' ? 503 : 500
  return {
    version: rand() < 0.3 ? 2 : 1,
    startedAt: T0 + Math.floor(rand() * 10 * MIN),
    status,
    outcome,
    wallMs: 0.5 + rand() ** 3 * 2000,
    cpuMs: 0.1 + rand() * 50,
    mem: Math.floor(2 ** 20 + rand() * 60 * 2 ** 20),
  }
})

let t: TempStore
beforeAll(async () => {
  // Small batches so the same minute's rollup is merged across many transactions.
  t = await tempStore({ writer: { maxBatch: 37 } })
  for (const p of data) {
    t.store.invocations.enqueue(
      makeInvocation({ functionId: 'fn-m', version: p.version, startedAt: p.startedAt, status: p.status, outcome: p.outcome, wallMs: p.wallMs, cpuMs: p.cpuMs, peakMemoryBytes: p.mem }),
    )
  }
  t.store.invocations.enqueue(makeInvocation({ functionId: 'fn-noise', startedAt: T0 + MIN }))
  await t.store.invocations.flush()
})
afterAll(() => t.cleanup())

function exactPercentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length - 1e-9))) - 1]!
  return { p50: at(0.5), p90: at(0.9), p95: at(0.95), p99: at(0.99) }
}

function expectClose(actual: Percentiles | null, exact: Percentiles) {
  expect(actual).not.toBeNull()
  for (const key of ['p50', 'p90', 'p95', 'p99'] as const) {
    const error = Math.abs(actual![key] - exact[key]) / exact[key]
    expect(error, `${key}: got ${actual![key]}, exact ${exact[key]}`).toBeLessThanOrEqual(PERCENTILE_RELATIVE_ERROR + 1e-12)
  }
}

const isErr = (p: Point) => p.outcome !== 'ok' || p.status >= 500
const tally = (keys: string[]) => keys.reduce<Record<string, number>>((acc, k) => ((acc[k] = (acc[k] ?? 0) + 1), acc), {})

async function check(query: MetricsQueryInput) {
  const inWindow = data.filter((p) => p.startedAt >= query.from && p.startedAt < query.to && (query.version === undefined || p.version === query.version))
  const report = await t.store.metrics.get(query)
  expect(report.count).toBe(inWindow.length)
  expect(report.errorCount).toBe(inWindow.filter(isErr).length)
  expect(report.errorRate).toBeCloseTo(inWindow.filter(isErr).length / inWindow.length, 12)
  expect(report.statusCodes).toEqual(tally(inWindow.map((p) => String(p.status))))
  expect(report.outcomes).toEqual(tally(inWindow.map((p) => p.outcome)))
  expectClose(report.wallMs, exactPercentiles(inWindow.map((p) => p.wallMs)))
  expectClose(report.cpuMs, exactPercentiles(inWindow.map((p) => p.cpuMs)))
  expectClose(report.peakMemoryBytes, exactPercentiles(inWindow.map((p) => p.mem)))

  // Series: every bucket's count and errors exactly, and its p50/p99 within the bound.
  const bucketMs = report.bucketMs
  expect(report.series.length).toBe(Math.ceil((query.to - Math.floor(query.from / bucketMs) * bucketMs) / bucketMs))
  for (const point of report.series) {
    const inBucket = inWindow.filter((p) => p.startedAt >= point.start && p.startedAt < point.start + bucketMs)
    expect(point.count).toBe(inBucket.length)
    expect(point.errorCount).toBe(inBucket.filter(isErr).length)
    if (inBucket.length === 0) {
      expect([point.wallMs, point.cpuMs, point.peakMemoryBytes]).toEqual([null, null, null])
    } else {
      expectClose(point.wallMs, exactPercentiles(inBucket.map((p) => p.wallMs)))
      expectClose(point.cpuMs, exactPercentiles(inBucket.map((p) => p.cpuMs)))
      expectClose(point.peakMemoryBytes, exactPercentiles(inBucket.map((p) => p.mem)))
    }
    const outcomes: Record<string, number> = {}
    for (const p of inBucket) outcomes[p.outcome] = (outcomes[p.outcome] ?? 0) + 1
    expect(point.outcomes).toEqual(outcomes)
  }
  expect(report.series.reduce((n, p) => n + p.count, 0)).toBe(inWindow.length)
  return report
}

describe('metrics', () => {
  it('matches values computed from the data over a minute-aligned window', async () => {
    const report = await check({ functionId: 'fn-m', from: T0, to: T0 + 10 * MIN, bucketMs: MIN })
    expect(report.count).toBe(3000)
    expect(report.series).toHaveLength(10)
  })

  it('is exact at unaligned window edges (raw rows) as well as in whole minutes (rollups)', async () => {
    await check({ functionId: 'fn-m', from: T0 + 17_321, to: T0 + 6 * MIN + 23_456, bucketMs: 2 * MIN })
  })

  it('handles a window inside a single minute', async () => {
    await check({ functionId: 'fn-m', from: T0 + 3 * MIN + 5_000, to: T0 + 3 * MIN + 40_000, bucketMs: MIN })
  })

  it('filters by version', async () => {
    const v2 = await check({ functionId: 'fn-m', version: 2, from: T0 + 1_000, to: T0 + 9 * MIN, bucketMs: 3 * MIN })
    expect(v2.version).toBe(2)
    await check({ functionId: 'fn-m', version: 1, from: T0, to: T0 + 10 * MIN })
  })

  it('returns zeros and nulls for an empty window, and empty buckets in the series', async () => {
    const report = await t.store.metrics.get({ functionId: 'fn-m', from: T0 + 20 * MIN, to: T0 + 25 * MIN, bucketMs: MIN })
    expect(report).toMatchObject({ count: 0, errorCount: 0, errorRate: 0, wallMs: null, cpuMs: null, peakMemoryBytes: null, statusCodes: {}, outcomes: {} })
    expect(report.series.map((p) => p.count)).toEqual([0, 0, 0, 0, 0])
  })

  it('picks a default bucket size of whole minutes and validates the query', async () => {
    const report = await t.store.metrics.get({ functionId: 'fn-m', from: T0, to: T0 + 24 * 60 * MIN })
    expect(report.bucketMs % MIN).toBe(0)
    expect(report.series.length).toBeLessThanOrEqual(61)
    await expect(t.store.metrics.get({ functionId: 'fn-m', from: T0, to: T0 })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(t.store.metrics.get({ functionId: 'fn-m', from: T0, to: T0 + MIN, bucketMs: 1000 })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(t.store.metrics.get({ functionId: 'fn-m', from: T0, to: T0 + 3000 * MIN, bucketMs: MIN })).rejects.toMatchObject({ code: 'validation_failed' })
  })
})
