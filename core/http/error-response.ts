import type { Context } from 'hono'
import { AppError, isAppError, type ErrorCode } from '../../common/errors.ts'
import type { ServedResponse } from './function-call.ts'

/** HTTP status per error code. Codes that only a broken deployment raises are 5xx; everything a client can cause is 4xx. */
export const ERROR_STATUS: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503> = {
  validation_failed: 400,
  compile_error: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  schema_too_new: 500,
  schema_checksum_mismatch: 500,
  decryption_failed: 500,
  internal: 500,
}

/** The Hono app's error responses, from `errorServed`. */
export function errorResponse(c: Context, error: unknown, onInternal?: (error: unknown) => void): Response {
  const served = errorServed(error, onInternal)
  return c.body(served.body as string, served.status as 400, Object.fromEntries(served.headers))
}

/** The one error body shape: `{ error: { code, message, details? } }`, never a host stack. */
export function errorServed(error: unknown, onInternal?: (error: unknown) => void, extraHeaders: [string, string][] = []): ServedResponse {
  const appError = isAppError(error) ? error : new AppError('internal', 'Internal server error')
  // A disabled function or a full queue is an expected 503; only failures of our own code are reported.
  if (!isAppError(error) || (ERROR_STATUS[appError.code] >= 500 && appError.code !== 'unavailable')) onInternal?.(error)
  return {
    status: ERROR_STATUS[appError.code],
    headers: [['content-type', 'application/json'], ...extraHeaders],
    body: JSON.stringify({ error: appError.toJSON() }),
  }
}
