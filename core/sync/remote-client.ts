import { AppError, ERROR_CODES, type ErrorCode, type ErrorIssue } from '../../common/errors.ts'
import type { VersionRecord, VersionSummary } from '../../common/model/function.ts'
import type { InvocationRecord, LogPage } from '../../common/model/invocation-log.ts'
import type { MetricsReport } from '../../common/model/metrics.ts'
import type { UserRecord } from '../../common/model/user.ts'

/** A function as the management API shows it (core/http/function-view.ts). */
export interface RemoteFunction {
  /** Only on a PATCH answer: whether it wrote a version (older servers leave it out). */
  versionCreated?: boolean
  id: string
  name: string
  description: string
  code: string
  handler: string
  runtime: 'JAVASCRIPT' | 'TYPESCRIPT'
  envVarNames: string[]
  timeout: number
  memory: number
  subdomain: string | null
  path: string | null
  domainId: string | null
  triggerType: 'HTTP' | 'CRON'
  cronSchedule: string | null
  status: string
  secretHeaders: string[]
  activeVersion: number | null
  url: string
}

export interface RemoteServerInfo {
  name: string
  version: string
  apiVersion: number
  baseDomain: string | null
}

export interface RemoteClientOptions {
  url: string
  token: string
  /** Per request; a server that does not answer in time counts as unreachable. Default 15 s. */
  timeoutMs?: number
}

type Query = Record<string, string | number | undefined>

/**
 * The management API of one server. Errors are AppErrors: `unavailable` when the server cannot be
 * reached or answers 5xx/garbage (the offline queue retries those), `unauthorized` for a refused
 * token, and every other 4xx with the server's own code and message (not retried).
 */
export function createRemoteClient(options: RemoteClientOptions) {
  const base = options.url.replace(/\/+$/, '')
  const timeoutMs = options.timeoutMs ?? 15_000

  async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const url = new URL(`${base}${path}`)
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value))
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      throw unreachable(base, error)
    }
    const text = await res.text().catch(() => '')
    if (res.ok) {
      if (res.status === 204 || text === '') return undefined as T
      try {
        return JSON.parse(text) as T
      } catch {
        throw new AppError('unavailable', `${base} answered ${method} ${path} with something that is not JSON; is this an Edgepad server?`)
      }
    }
    throw httpError(base, res.status, text)
  }

  const fn = (id: string) => `/api/edge-functions/${encodeURIComponent(id)}`
  return {
    url: base,
    serverInfo: () => request<RemoteServerInfo>('GET', '/api/server'),
    me: () => request<UserRecord>('GET', '/api/users/me'),
    /** Exact name match among the caller's functions, or null. */
    async findByName(name: string): Promise<RemoteFunction | null> {
      const page = await request<{ items: RemoteFunction[] }>('GET', '/api/edge-functions', undefined, { name, limit: 200 })
      return page.items.find((f) => f.name === name) ?? null
    },
    getFunction: (id: string) => request<RemoteFunction>('GET', fn(id)),
    createFunction: (body: Record<string, unknown>) => request<RemoteFunction>('POST', '/api/edge-functions', body),
    patchFunction: (id: string, body: Record<string, unknown>) => request<RemoteFunction>('PATCH', fn(id), body),
    versions: (id: string) => request<{ activeVersion: number | null; items: VersionSummary[] }>('GET', `${fn(id)}/versions`),
    version: (id: string, n: number) => request<VersionRecord>('GET', `${fn(id)}/versions/${n}`),
    activate: (id: string, n: number) => request<RemoteFunction>('POST', `${fn(id)}/versions/${n}/activate`),
    logs: (id: string, query: Query) => request<LogPage>('GET', `${fn(id)}/logs`, undefined, query),
    log: (id: string, invocationId: string) => request<InvocationRecord>('GET', `${fn(id)}/logs/${encodeURIComponent(invocationId)}`),
    metrics: (id: string, query: Query) => request<MetricsReport>('GET', `${fn(id)}/metrics`, undefined, query),
    domain: (id: string) => request<{ id: string; hostname: string; verifiedAt: number | null }>('GET', `/api/domains/${encodeURIComponent(id)}`),
  }
}

export type RemoteClient = ReturnType<typeof createRemoteClient>

function unreachable(base: string, error: unknown): AppError {
  const e = error as { name?: string; cause?: { code?: string; message?: string }; message?: string }
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return new AppError('unavailable', `${base} did not answer in time`)
  const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? String(error)
  return new AppError('unavailable', `Cannot reach ${base} (${reason})`)
}

function httpError(base: string, status: number, text: string): AppError {
  let parsed: { error?: { code?: string; message?: string; details?: ErrorIssue[] } } | undefined
  try {
    parsed = JSON.parse(text) as typeof parsed
  } catch {
    parsed = undefined
  }
  const message = parsed?.error?.message ?? (text.slice(0, 200) || `HTTP ${status}`)
  if (status === 401) return new AppError('unauthorized', `${base} refused the token: ${message}`)
  // 5xx (and a proxy's 502/503/504) are the server's trouble, not the request's: worth retrying.
  if (status >= 500) return new AppError('unavailable', `${base} failed with ${status}: ${message}`)
  const code = parsed?.error?.code
  const known: ErrorCode = ERROR_CODES.includes(code as ErrorCode) ? (code as ErrorCode) : status === 404 ? 'not_found' : 'validation_failed'
  return new AppError(known, message, parsed?.error?.details)
}
