import { z } from 'zod'
import type { ConsoleLine, EdgeRequest, InvocationResult } from './invocation.ts'
import { OUTCOME_KINDS, type OutcomeKind } from './outcome.ts'

/** What started an invocation: a routed HTTP request, the scheduler, or a test run from the IDE. */
export const INVOCATION_TRIGGERS = ['HTTP', 'CRON', 'TEST'] as const
export type InvocationTrigger = (typeof INVOCATION_TRIGGERS)[number]

/** What the host hands the log after a run: the request it routed and the runtime's result, unredacted. */
export interface NewInvocation {
  /** Generated (UUIDv7) when absent, so the host can return it to the caller before the row is committed. */
  id?: string
  functionId: string
  /** 0 for a draft run from the IDE that is not a saved version. */
  version: number
  trigger: InvocationTrigger
  request: EdgeRequest
  result: InvocationResult
  /** Epoch milliseconds. */
  startedAt: number
}

/** A captured body: text when it was valid UTF-8, base64 otherwise; capped, with the original size kept. */
export interface StoredBody {
  data: string | null
  encoding: 'utf8' | 'base64'
  truncated: boolean
  sizeBytes: number
}

export interface InvocationSummary {
  id: string
  functionId: string
  version: number
  trigger: InvocationTrigger
  method: string
  path: string
  status: number
  outcome: OutcomeKind
  errorMessage: string | null
  wallMs: number
  cpuMs: number
  peakMemoryBytes: number
  coldStart: boolean
  startedAt: number
}

/** A logged invocation after redaction: secret header values and env values are already replaced. */
export interface InvocationRecord extends InvocationSummary {
  request: { query: Record<string, string | string[]>; headers: Record<string, string>; body: StoredBody }
  response: { headers: Record<string, string | string[]>; body: StoredBody }
  errorStack: string | null
  console: ConsoleLine[]
}

const epochMs = z.number().int().min(0)

export const logQuerySchema = z
  .object({
    functionId: z.string().min(1).max(200),
    /** Full-text search over console output, error messages and paths; every word must match. */
    text: z.string().max(500).optional(),
    outcomes: z.array(z.enum(OUTCOME_KINDS)).min(1).optional(),
    statusMin: z.number().int().min(0).max(999).optional(),
    statusMax: z.number().int().min(0).max(999).optional(),
    methods: z.array(z.string().min(1).max(32).transform((m) => m.toUpperCase())).min(1).optional(),
    pathPrefix: z.string().min(1).max(1024).optional(),
    /** Inclusive lower bound on startedAt. */
    from: epochMs.optional(),
    /** Exclusive upper bound on startedAt. */
    to: epochMs.optional(),
    minDurationMs: z.number().min(0).optional(),
    version: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).default(50),
    /** Opaque cursor from a previous page's `nextCursor`. */
    cursor: z.string().max(200).optional(),
  })
  .strict()

export type LogQueryInput = z.input<typeof logQuerySchema>
export type LogQuery = z.output<typeof logQuerySchema>

/**
 * Newest first. `nextCursor` is null only on the last page; a filtered page may be short (even
 * empty) with a cursor when the store's per-page scan budget ran out before the page filled.
 */
export interface LogPage {
  items: InvocationSummary[]
  nextCursor: string | null
}
