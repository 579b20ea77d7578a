import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { FunctionCall, ServedResponse } from '../function-call.ts'
import { ServedError } from '../function-call.ts'
import { findFunctionTarget } from '../function-target.ts'
import type { HttpContext } from '../http-context.ts'
import { readBodyCapped } from '../read-body.ts'
import { serveFunction } from '../serve-function.ts'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { IncomingMessage } from 'node:http'
import { notFunctionTraffic } from '../node-function-listener.ts'
import { forwardedClient } from '../forwarded-client.ts'

/**
 * Function traffic inside the Hono app (custom domains and `/fn/:id`). The server answers the same
 * traffic before Hono (node-function-listener.ts); this keeps `app.request()` and any other host
 * of the app serving functions identically.
 */
export function functionTraffic(ctx: HttpContext) {
  return createMiddleware(async (c, next) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
    if (incoming && notFunctionTraffic.has(incoming)) return next()
    const url = new URL(c.req.url)
    const target = await findFunctionTarget(ctx, c.req.header('host'), url.pathname)
    if (!target) return next()
    try {
      return toResponse(await serveFunction(ctx.serve, target.fn, honoCall(c, url), target.path))
    } catch (error) {
      if (error instanceof ServedError) for (const [name, value] of error.headers) c.header(name, value)
      throw error
    }
  })
}

function honoCall(c: Context, url: URL): FunctionCall {
  const headers: Record<string, string> = {}
  c.req.raw.headers.forEach((value, name) => {
    headers[name] = value
  })
  // A Request built in code (app.request) carries no Host header; its URL has the host.
  headers.host ??= url.host
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming
  let remoteAddress: string | undefined = incoming ? forwardedClient(incoming) : undefined
  try {
    remoteAddress ??= getConnInfo(c).remote.address
  } catch {
    remoteAddress = undefined
  }
  return {
    method: c.req.method,
    pathname: url.pathname,
    search: url.search,
    headers,
    scheme: url.protocol === 'https:' ? 'https' : 'http',
    remoteAddress,
    readBody: (maxBytes) => readBodyCapped(c.req.raw, maxBytes),
  }
}

function toResponse(served: ServedResponse): Response {
  const headers = new Headers()
  for (const [name, value] of served.headers) headers.append(name, value)
  return new Response(served.body, { status: served.status, headers })
}
