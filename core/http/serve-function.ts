import { AppError } from '../../common/errors.ts'
import type { EdgeResponse, InvocationResult } from '../../common/model/invocation.ts'
import { FAILURE_STATUS, type OutcomeKind } from '../../common/model/outcome.ts'
import { checkResponse } from '../runtime/response-check.ts'
import { trustedRequest } from '../runtime/request-input.ts'
import { ServedError, type FunctionCall, type ServedResponse } from './function-call.ts'
import { invokeFunction, type InvokeDeps } from './invoke-function.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { ServedFunction } from './served-functions.ts'

export interface ServeDeps extends InvokeDeps {
  limiter: RateLimiter
  maxBodyBytes: number
  /** Take the client address from X-Forwarded-For / X-Forwarded-Proto (only behind a proxy you run). */
  trustProxy: boolean
}

const PUBLIC_MESSAGE: Record<Exclude<OutcomeKind, 'ok'>, string> = {
  runtime_error: 'The function threw an error',
  timeout: 'The function did not respond before its deadline',
  memory_limit: 'The function ran out of memory',
  invalid_response: 'The function returned an invalid response',
  response_too_large: 'The function returned a response larger than allowed',
  compile_error: 'The function failed to compile',
  internal_error: 'The function was interrupted; try again',
}

/** Serves one public request with `fn`; `path` is what the function sees (the mount prefix removed for /fn/:id). */
export async function serveFunction(deps: ServeDeps, fn: ServedFunction, call: FunctionCall, path: string): Promise<ServedResponse> {
  if (fn.status !== 'ACTIVE') throw new AppError('unavailable', `This function is ${fn.status.toLowerCase()}`)
  const limit = fn.settings.rateLimit
  if (limit) {
    const key = limit.key === 'ip' ? clientIp(call, deps.trustProxy) : (call.headers[limit.key.slice('header:'.length)] ?? '')
    const decision = deps.limiter.hit(fn.id, key, limit)
    if (!decision.allowed) {
      const error = new AppError('rate_limited', `Rate limit of ${limit.requests} requests per ${limit.windowSeconds}s exceeded; retry after ${decision.retryAfterSeconds}s`)
      throw new ServedError(error, [['retry-after', String(decision.retryAfterSeconds)]])
    }
  }
  const { method, headers } = call
  const body = method === 'GET' || method === 'HEAD' ? null : await call.readBody(deps.maxBodyBytes)
  const proto = (deps.trustProxy && headers['x-forwarded-proto']?.split(',')[0]?.trim()) || call.scheme
  const host = headers.host ?? 'localhost'
  const request = trustedRequest({ method, url: `${proto}://${host}${path}${call.search}`, headers, body })
  const { invocationId, result } = await invokeFunction(deps, fn, request, 'HTTP')
  return toServed(result, invocationId, fn.settings.debugResponses, method === 'HEAD')
}

function toServed(result: InvocationResult, invocationId: string, debug: boolean, head: boolean): ServedResponse {
  let outcome = result.outcome
  let error = result.error
  let response: EdgeResponse | null = null
  if (outcome === 'ok') {
    // The runtime validated it in the worker; check again at the last step before bytes hit the socket.
    const checked = checkResponse({ status: result.response.statusCode, headers: headerPairs(result.response.headers), body: result.response.body })
    if (checked.ok) response = checked.response
    else {
      outcome = checked.kind
      error = { message: checked.message }
    }
  }
  if (response && outcome === 'ok') {
    const headers = headerPairs(response.headers)
    headers.push(['x-edgepad-invocation-id', invocationId])
    return { status: response.statusCode, headers, body: head || response.body.byteLength === 0 ? null : response.body }
  }
  const kind = outcome as Exclude<OutcomeKind, 'ok'>
  const detail = debug && error ? { detail: error.message, stack: error.stack, line: error.line, column: error.column } : {}
  const payload = JSON.stringify({ error: { code: kind, message: PUBLIC_MESSAGE[kind], invocationId, ...detail } })
  return {
    status: FAILURE_STATUS[kind],
    headers: [
      ['content-type', 'application/json; charset=utf-8'],
      ['x-edgepad-invocation-id', invocationId],
    ],
    body: head ? null : payload,
  }
}

function headerPairs(headers: Record<string, string | string[]>): [string, string][] {
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v])
  }
  return pairs
}

export function clientIp(call: FunctionCall, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = call.headers['x-forwarded-for']?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  return call.remoteAddress ?? 'unknown'
}
