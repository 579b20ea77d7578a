import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import type { ConsoleLine } from '../../common/model/invocation.ts'
import {
  logQuerySchema,
  type InvocationRecord,
  type InvocationSummary,
  type InvocationTrigger,
  type StoredBody,
} from '../../common/model/invocation-log.ts'
import type { OutcomeKind } from '../../common/model/outcome.ts'
import { parseOrThrow } from '../../common/validation.ts'
import type { InvocationWriter } from './invocation-writer.ts'
import { SUMMARY_COLUMNS, buildLogQuery, buildScanBoundaryQuery, encodeCursor, hasRowFilters, type LogCursor } from './log-query.ts'
import type { InvocationsRepo, RetentionResult } from './repos.ts'

interface SummaryRow {
  seq: number
  id: string
  function_id: string
  version: number
  trigger: InvocationTrigger
  method: string
  path: string
  status: number
  outcome: OutcomeKind
  error_message: string | null
  wall_ms: number
  cpu_ms: number
  peak_memory_bytes: number
  cold_start: number
  started_at: number
}

interface FullRow extends SummaryRow {
  query: string
  request_headers: string
  request_body: string | Buffer | null
  request_body_truncated: number
  request_body_size: number
  response_headers: string
  response_body: string | Buffer | null
  response_body_truncated: number
  response_body_size: number
  error_stack: string | null
  console: string
}

const toSummary = (r: SummaryRow): InvocationSummary => ({
  id: r.id,
  functionId: r.function_id,
  version: r.version,
  trigger: r.trigger,
  method: r.method,
  path: r.path,
  status: r.status,
  outcome: r.outcome,
  errorMessage: r.error_message,
  wallMs: r.wall_ms,
  cpuMs: r.cpu_ms,
  peakMemoryBytes: r.peak_memory_bytes,
  coldStart: r.cold_start === 1,
  startedAt: r.started_at,
})

const toBody = (value: string | Buffer | null, truncated: number, sizeBytes: number): StoredBody =>
  typeof value === 'string' || value === null
    ? { data: value, encoding: 'utf8', truncated: truncated === 1, sizeBytes }
    : { data: Buffer.from(value).toString('base64'), encoding: 'base64', truncated: truncated === 1, sizeBytes }

export function createSqliteInvocationsRepo(
  db: Database.Database,
  writer: InvocationWriter,
  enforceRetention: () => Promise<RetentionResult>,
  scanBudget: number,
): InvocationsRepo {
  const byId = db.prepare<[string], FullRow>(`SELECT ${SUMMARY_COLUMNS}, query, request_headers, request_body, request_body_truncated,
      request_body_size, response_headers, response_body, response_body_truncated, response_body_size, error_stack, console
    FROM invocations WHERE id = ?`)
  return {
    append: (invocation) => writer.append(invocation),
    enqueue: (invocation) => writer.enqueue(invocation),
    flush: () => writer.flush(),
    async query(input) {
      const q = parseOrThrow(logQuerySchema, input, 'log query')
      let boundary: LogCursor | null = null
      if (hasRowFilters(q)) {
        const b = buildScanBoundaryQuery(q, scanBudget)
        const row = db.prepare(b.sql).get(...b.params) as { started_at: number; seq: number } | undefined
        boundary = row ? { startedAt: row.started_at, seq: row.seq } : null
      }
      const { sql, params } = buildLogQuery(q, boundary)
      const rows = db.prepare(sql).all(...params) as SummaryRow[]
      const page = rows.slice(0, q.limit)
      const last = page.at(-1)
      let nextCursor: string | null = null
      if (rows.length > q.limit && last) nextCursor = encodeCursor({ startedAt: last.started_at, seq: last.seq })
      // The budget ran out before the page filled: older rows remain unexamined, continue below the boundary.
      else if (boundary) nextCursor = encodeCursor(boundary)
      return { items: page.map(toSummary), nextCursor }
    },
    async get(id) {
      const r = byId.get(id)
      if (!r) throw new AppError('not_found', `Invocation ${id} not found`)
      const record: InvocationRecord = {
        ...toSummary(r),
        request: {
          query: JSON.parse(r.query) as Record<string, string | string[]>,
          headers: JSON.parse(r.request_headers) as Record<string, string>,
          body: toBody(r.request_body, r.request_body_truncated, r.request_body_size),
        },
        response: {
          headers: JSON.parse(r.response_headers) as Record<string, string | string[]>,
          body: toBody(r.response_body, r.response_body_truncated, r.response_body_size),
        },
        errorStack: r.error_stack,
        console: JSON.parse(r.console) as ConsoleLine[],
      }
      return record
    },
    enforceRetention,
  }
}
