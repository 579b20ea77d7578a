/**
 * Log-linear histograms for the per-minute rollups: each power of two is split into 32 equal
 * buckets, so a reported percentile (the bucket midpoint) is within 1/64 ≈ 1.6 % of the exact
 * nearest-rank value. Values below 2^minExp land in an underflow bucket reported as 0; values at
 * or above 2^maxExp in an overflow bucket reported as 2^maxExp.
 */
export interface HistogramScale {
  minExp: number
  maxExp: number
}

export const SUB_BUCKETS = 32
export const PERCENTILE_RELATIVE_ERROR = 1 / (2 * SUB_BUCKETS)

/** Milliseconds: ~15.6 µs to ~70 minutes. */
export const MS_SCALE: HistogramScale = { minExp: -6, maxExp: 22 }
/** Bytes: 1 KiB to 1 TiB. */
export const BYTES_SCALE: HistogramScale = { minExp: 10, maxExp: 40 }

export function bucketCount(scale: HistogramScale): number {
  return (scale.maxExp - scale.minExp) * SUB_BUCKETS + 2
}

export function bucketOf(value: number, scale: HistogramScale): number {
  if (!(value >= 2 ** scale.minExp)) return 0
  if (value >= 2 ** scale.maxExp) return bucketCount(scale) - 1
  let exp = Math.floor(Math.log2(value))
  // log2 can be off by one ulp right at a power of two.
  if (2 ** exp > value) exp--
  else if (2 ** (exp + 1) <= value) exp++
  const sub = Math.min(SUB_BUCKETS - 1, Math.floor((value / 2 ** exp - 1) * SUB_BUCKETS))
  return 1 + (exp - scale.minExp) * SUB_BUCKETS + sub
}

export function bucketValue(index: number, scale: HistogramScale): number {
  if (index <= 0) return 0
  if (index >= bucketCount(scale) - 1) return 2 ** scale.maxExp
  const exp = scale.minExp + Math.floor((index - 1) / SUB_BUCKETS)
  const sub = (index - 1) % SUB_BUCKETS
  return 2 ** exp * (1 + (sub + 0.5) / SUB_BUCKETS)
}

export type SparseHistogram = Map<number, number>

export function addToSparse(hist: SparseHistogram, bucket: number, count = 1): void {
  hist.set(bucket, (hist.get(bucket) ?? 0) + count)
}

/** (u16 bucket, u32 count) little-endian pairs, ascending bucket. */
export function encodeSparse(hist: SparseHistogram): Buffer {
  const keys = [...hist.keys()].sort((a, b) => a - b)
  const out = Buffer.allocUnsafe(keys.length * 6)
  keys.forEach((key, i) => {
    out.writeUInt16LE(key, i * 6)
    out.writeUInt32LE(hist.get(key)!, i * 6 + 2)
  })
  return out
}

/** Same blob format from dense counts (the writer aggregates a batch densely: no Map per row). */
export function encodeDense(counts: ArrayLike<number>): Buffer {
  let n = 0
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) n++
  const out = Buffer.allocUnsafe(n * 6)
  let o = 0
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! === 0) continue
    out.writeUInt16LE(i, o)
    out.writeUInt32LE(counts[i]!, o + 2)
    o += 6
  }
  return out
}

export function decodeSparseInto(blob: Uint8Array, into: SparseHistogram): void {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  for (let i = 0; i + 6 <= buf.length; i += 6) addToSparse(into, buf.readUInt16LE(i), buf.readUInt32LE(i + 2))
}

/** Adds a sparse blob into a dense array (the fast path when merging thousands of rollup rows). */
export function decodeSparseIntoDense(blob: Uint8Array, into: Float64Array): void {
  const buf = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)
  for (let i = 0; i + 6 <= buf.length; i += 6) into[buf.readUInt16LE(i)]! += buf.readUInt32LE(i + 2)
}

/** Nearest-rank percentiles (rank = ceil(p·n)) read off bucket counts; `ps` ascending. */
export function percentilesFromCounts(counts: ArrayLike<number> | SparseHistogram, total: number, ps: readonly number[], scale: HistogramScale): number[] {
  if (total <= 0) return ps.map(() => 0)
  const entries: [number, number][] =
    counts instanceof Map ? [...counts.entries()].sort((a, b) => a[0] - b[0]) : denseEntries(counts)
  const out: number[] = []
  let cumulative = 0
  let p = 0
  for (const [bucket, count] of entries) {
    cumulative += count
    while (p < ps.length && cumulative >= nearestRank(ps[p]!, total)) {
      out.push(bucketValue(bucket, scale))
      p++
    }
    if (p === ps.length) break
  }
  while (out.length < ps.length) out.push(bucketValue(entries.at(-1)?.[0] ?? 0, scale))
  return out
}

function denseEntries(counts: ArrayLike<number>): [number, number][] {
  const out: [number, number][] = []
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) out.push([i, counts[i]!])
  return out
}

/** 1-based rank of the p-th percentile among n sorted values; the epsilon keeps 0.95·100 at 95. */
export function nearestRank(p: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(p * n - 1e-9)))
}
