import { describe, expect, it } from 'vitest'
import {
  BYTES_SCALE,
  MS_SCALE,
  PERCENTILE_RELATIVE_ERROR,
  addToSparse,
  bucketCount,
  bucketOf,
  bucketValue,
  decodeSparseInto,
  encodeSparse,
  percentilesFromCounts,
  type SparseHistogram,
} from './histogram.ts'

describe('log-linear histogram', () => {
  it('reports every value within the stated relative error, across the whole range', () => {
    for (const scale of [MS_SCALE, BYTES_SCALE]) {
      for (let e = scale.minExp; e < scale.maxExp; e++) {
        for (const f of [1, 1.0001, 1.3, 1.5, 1.999999]) {
          const v = 2 ** e * f
          const rep = bucketValue(bucketOf(v, scale), scale)
          expect(Math.abs(rep - v) / v).toBeLessThanOrEqual(PERCENTILE_RELATIVE_ERROR)
        }
      }
    }
  })

  it('is monotonic and puts out-of-range values in the under/overflow buckets', () => {
    let last = -1
    for (let v = 0.01; v < 1e7; v *= 1.01) {
      const b = bucketOf(v, MS_SCALE)
      expect(b).toBeGreaterThanOrEqual(last)
      last = b
    }
    expect(bucketOf(0, MS_SCALE)).toBe(0)
    expect(bucketOf(-5, MS_SCALE)).toBe(0)
    expect(bucketOf(Number.NaN, MS_SCALE)).toBe(0)
    expect(bucketOf(1e12, MS_SCALE)).toBe(bucketCount(MS_SCALE) - 1)
  })

  it('round-trips sparse blobs and merges counts', () => {
    const h: SparseHistogram = new Map()
    addToSparse(h, 5, 3)
    addToSparse(h, 700, 70_000)
    const merged: SparseHistogram = new Map([[5, 1]])
    decodeSparseInto(encodeSparse(h), merged)
    expect([...merged.entries()].sort((a, b) => a[0] - b[0])).toEqual([[5, 4], [700, 70_000]])
  })

  it('computes nearest-rank percentiles from counts', () => {
    const h: SparseHistogram = new Map()
    for (let v = 1; v <= 100; v++) addToSparse(h, bucketOf(v, MS_SCALE))
    const [p50, p99] = percentilesFromCounts(h, 100, [0.5, 0.99], MS_SCALE)
    expect(Math.abs(p50! - 50) / 50).toBeLessThanOrEqual(PERCENTILE_RELATIVE_ERROR)
    expect(Math.abs(p99! - 99) / 99).toBeLessThanOrEqual(PERCENTILE_RELATIVE_ERROR)
  })
})
