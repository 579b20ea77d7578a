import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { captureBody } from './body-capture.ts'
import { collectHeaderSecrets, redactHeaders, textRedactor } from './redaction.ts'

/** What to scrub for one function: its secret header names and its env var values. */
export interface RedactionRules {
  secretHeaders: ReadonlySet<string>
  secretValues: readonly string[]
}

/** Column values in insert order, plus the text the full-text index gets. */
export interface InvocationRow {
  id: string
  functionId: string
  version: number
  trigger: string
  method: string
  path: string
  query: string
  requestHeaders: string
  requestBody: string | Buffer | null
  requestBodyTruncated: number
  requestBodySize: number
  status: number
  responseHeaders: string
  responseBody: string | Buffer | null
  responseBodyTruncated: number
  responseBodySize: number
  outcome: string
  errorMessage: string | null
  errorStack: string | null
  console: string
  consoleText: string
  wallMs: number
  cpuMs: number
  peakMemoryBytes: number
  coldStart: number
  startedAt: number
}

/**
 * Redacts and caps one invocation. Runs at flush time, off the request path; nothing unredacted
 * reaches SQLite (including the full-text index, which is a second copy of the text).
 */
export function toInvocationRow(id: string, inv: NewInvocation, rules: RedactionRules, bodyCapBytes: number): InvocationRow {
  const { request, result } = inv
  const secrets = [...rules.secretValues]
  collectHeaderSecrets(request.headers, rules.secretHeaders, secrets)
  collectHeaderSecrets(result.response.headers, rules.secretHeaders, secrets)
  const redact = textRedactor(secrets)
  const reqBody = captureBody(request.body, bodyCapBytes, redact)
  const resBody = captureBody(result.response.body, bodyCapBytes, redact)
  const consoleLines = result.console.map((line) => ({ level: line.level, message: redact(line.message), at: line.at }))
  const query: Record<string, string | string[]> = {}
  for (const [key, value] of Object.entries(request.query)) query[redact(key)] = Array.isArray(value) ? value.map(redact) : redact(value)
  return {
    id,
    functionId: inv.functionId,
    version: inv.version,
    trigger: inv.trigger,
    method: request.method.toUpperCase(),
    path: redact(request.path),
    query: JSON.stringify(query),
    requestHeaders: JSON.stringify(redactHeaders(request.headers, rules.secretHeaders, redact)),
    requestBody: reqBody.value,
    requestBodyTruncated: reqBody.truncated ? 1 : 0,
    requestBodySize: reqBody.sizeBytes,
    status: result.response.statusCode,
    responseHeaders: JSON.stringify(redactHeaders(result.response.headers, rules.secretHeaders, redact)),
    responseBody: resBody.value,
    responseBodyTruncated: resBody.truncated ? 1 : 0,
    responseBodySize: resBody.sizeBytes,
    outcome: result.outcome,
    errorMessage: result.error ? redact(result.error.message) : null,
    errorStack: result.error?.stack ? redact(result.error.stack) : null,
    console: JSON.stringify(consoleLines),
    consoleText: consoleLines.map((l) => l.message).join('\n'),
    wallMs: result.metrics.wallMs,
    cpuMs: result.metrics.cpuMs,
    peakMemoryBytes: Math.round(result.metrics.peakHeapBytes),
    coldStart: result.metrics.coldStart ? 1 : 0,
    startedAt: Math.round(inv.startedAt),
  }
}

/** Cheap shape check at enqueue time so one malformed row cannot fail the whole batch later. */
export function invalidInvocationReason(inv: NewInvocation): string | null {
  if (!inv || typeof inv.functionId !== 'string' || inv.functionId.length === 0) return 'functionId is required'
  if (!Number.isInteger(inv.version) || inv.version < 0) return 'version must be a non-negative integer'
  if (!Number.isFinite(inv.startedAt)) return 'startedAt must be epoch milliseconds'
  if (!inv.request || typeof inv.request.method !== 'string' || typeof inv.request.path !== 'string') return 'request method and path are required'
  const r = inv.result
  if (!r || !r.response || !Number.isInteger(r.response.statusCode) || typeof r.outcome !== 'string') return 'result with outcome and response status is required'
  const m = r.metrics
  if (!m || !Number.isFinite(m.wallMs) || !Number.isFinite(m.cpuMs) || !Number.isFinite(m.peakHeapBytes)) return 'metrics must be finite numbers'
  if (inv.id !== undefined && (typeof inv.id !== 'string' || inv.id.length === 0 || inv.id.length > 64)) return 'id must be a short string'
  return null
}
