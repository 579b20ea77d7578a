import { z } from 'zod'
import type { OutcomeKind } from './outcome.ts'

export const MINUTE_MS = 60_000
export const MAX_SERIES_POINTS = 2000

export const metricsQuerySchema = z
  .object({
    functionId: z.string().min(1).max(200),
    /** Only this version; all versions when absent. */
    version: z.number().int().min(0).optional(),
    /** Inclusive, epoch ms. */
    from: z.number().int().min(0),
    /** Exclusive, epoch ms. */
    to: z.number().int().min(0),
    /** Width of each series point, whole minutes; chosen for ~60 points when absent. */
    bucketMs: z
      .number()
      .int()
      .min(MINUTE_MS)
      .refine((ms) => ms % MINUTE_MS === 0, 'bucketMs must be a whole number of minutes')
      .optional(),
  })
  .strict()
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] })

export type MetricsQueryInput = z.input<typeof metricsQuerySchema>
export type MetricsQuery = z.output<typeof metricsQuerySchema>

/** Null when the window holds no invocations. */
export interface Percentiles {
  p50: number
  p90: number
  p95: number
  p99: number
}

export interface SeriesPoint {
  /** Epoch ms of the bucket start; buckets are aligned to multiples of bucketMs since the epoch. */
  start: number
  count: number
  errorCount: number
  wallMs: Percentiles | null
  cpuMs: Percentiles | null
  peakMemoryBytes: Percentiles | null
  /** Invocations per outcome kind in this bucket. */
  outcomes: Partial<Record<OutcomeKind, number>>
}

export interface MetricsReport {
  functionId: string
  version: number | null
  from: number
  to: number
  bucketMs: number
  count: number
  /** Invocations whose outcome is not `ok` or whose status is 5xx. */
  errorCount: number
  errorRate: number
  wallMs: Percentiles | null
  cpuMs: Percentiles | null
  peakMemoryBytes: Percentiles | null
  /** Count per HTTP status code, keyed by the code as a string. */
  statusCodes: Record<string, number>
  outcomes: Partial<Record<OutcomeKind, number>>
  series: SeriesPoint[]
  /** Upper bound on |reported − exact| / exact for every percentile (histogram bucket half-width). */
  percentileRelativeError: number
}
