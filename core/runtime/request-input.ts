import { z } from 'zod'
import type { EdgeRequest } from '../../common/model/invocation.ts'
import { edgeRequestSchema } from '../../common/model/invocation.ts'
import { parseOrThrow } from '../../common/validation.ts'

/** A request as callers describe it: everything optional, completed the way a browser would. */
export const requestInputSchema = z
  .object({
    method: z.string().optional(),
    url: z.string().optional(),
    path: z.string().optional(),
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    headers: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    body: z.union([z.string(), z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'body must be a string or bytes'), z.null()]).optional(),
  })
  .strict()

export type RequestInput = z.input<typeof requestInputSchema>

const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])

/**
 * A request this module completed and validated: passing one back in costs nothing. A class is the
 * brand, not a WeakSet: a WeakSet entry for every request served made each young-generation GC
 * walk an ephemeron table (about 1.5% of a worker's CPU on hello-world, measured with perf).
 */
class PreparedRequest implements EdgeRequest {
  method: string
  url: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  body: EdgeRequest['body']
  constructor(method: string, url: string, path: string, query: EdgeRequest['query'], headers: EdgeRequest['headers'], body: EdgeRequest['body']) {
    this.method = method
    this.url = url
    this.path = path
    this.query = query
    this.headers = headers
    this.body = body
  }
}

export function prepareRequest(input: RequestInput | EdgeRequest = {}): EdgeRequest {
  if (input instanceof PreparedRequest) return input
  const given = parseOrThrow(requestInputSchema, input, 'request')
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(given.headers ?? {})) headers[name.toLowerCase()] = String(value)
  const method = given.method ? (STANDARD_METHODS.has(given.method.toUpperCase()) ? given.method.toUpperCase() : given.method) : 'GET'

  let url: URL
  try {
    const path = given.path ?? '/'
    url = new URL(given.url ?? (path.startsWith('/') ? path : `/${path}`), `http://${headers.host ?? 'localhost'}`)
  } catch {
    return parseOrThrow(edgeRequestSchema.refine(() => false, { message: 'url is not a valid URL', path: ['url'] }), {}, 'request')
  }
  if (given.query) {
    for (const [name, value] of Object.entries(given.query)) {
      for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(name, item)
    }
  }
  headers.host ??= url.host
  const request = { method, url: url.href, path: url.pathname, query: queryOf(url), headers, body: given.body ?? null }
  const valid = parseOrThrow(edgeRequestSchema, request, 'request')
  return new PreparedRequest(valid.method, valid.url, valid.path, valid.query, valid.headers, valid.body)
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/

/**
 * A request an HTTP server already parsed (method, lowercase headers, absolute URL, body bytes):
 * completed without schema validation, which costs more than serving a small function. Anything
 * outside what an HTTP parser can produce goes through `prepareRequest` and its clear errors.
 */
export function trustedRequest(parts: { method: string; url: string; headers: Record<string, string>; body: Uint8Array | null }): EdgeRequest {
  let url: URL | null = null
  if (parts.url.length <= 16 * 1024 && TOKEN.test(parts.method)) {
    try {
      url = new URL(parts.url)
    } catch {
      url = null
    }
  }
  if (!url || url.href.length > 16 * 1024) return prepareRequest(parts)
  const headers = parts.headers
  headers.host ??= url.host
  return new PreparedRequest(parts.method, url.href, url.pathname, queryOf(url), headers, parts.body)
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const [name, value] of url.searchParams) {
    const previous = query[name]
    query[name] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value]
  }
  return query
}
