import { AppError } from '../../common/errors.ts'

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

/** An error that carries response headers (e.g. Retry-After on a rate limit). */
export class ServedError extends AppError {
  readonly headers: [string, string][]
  constructor(error: AppError, headers: [string, string][]) {
    super(error.code, error.message, error.details)
    this.headers = headers
  }
}
