import { AppError, isAppError } from '../../common/errors.ts'
import { ERROR_STATUS } from './error-response.ts'

/**
 * One public request to a function, independent of the HTTP framework: the Hono app (tests, the
 * management API's neighbours) and the server's direct node:http path both serve through it.
 */
export interface FunctionCall {
  method: string
  /** The normalized path as WHATWG URL parsing gives it, before any mount prefix is removed. */
  pathname: string
  /** `?…` or ''. */
  search: string
  /** Lowercase names; repeated headers joined with ', ' (as Web `Headers` does). */
  headers: Record<string, string>
  /** Scheme of the connection the request came in on. */
  scheme: 'http' | 'https'
  remoteAddress: string | undefined
  /** The body up to `maxBytes` (413 past it); null when there is none. */
  readBody(maxBytes: number): Promise<Uint8Array | null>
}

export interface ServedResponse {
  status: number
  headers: [string, string][]
  body: Uint8Array | string | null
}

/** The one error body shape `{ error: { code, message, details? } }`, as the Hono app's errorResponse. */
export function errorServed(error: unknown, onInternal?: (error: unknown) => void, extraHeaders: [string, string][] = []): ServedResponse {
  const appError = isAppError(error) ? error : new AppError('internal', 'Internal server error')
  if (!isAppError(error) || (ERROR_STATUS[appError.code] >= 500 && appError.code !== 'unavailable')) onInternal?.(error)
  return {
    status: ERROR_STATUS[appError.code],
    headers: [['content-type', 'application/json'], ...extraHeaders],
    body: JSON.stringify({ error: appError.toJSON() }),
  }
}

/** An error that carries response headers (e.g. Retry-After on a rate limit). */
export class ServedError extends AppError {
  readonly headers: [string, string][]
  constructor(error: AppError, headers: [string, string][]) {
    super(error.code, error.message, error.details)
    this.headers = headers
  }
}
