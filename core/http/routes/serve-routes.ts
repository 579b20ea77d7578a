import { Hono, type Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { AppError } from '../../../common/errors.ts'
import type { HttpContext } from '../http-context.ts'
import { hostOf } from '../route-table.ts'
import { serveFunction } from '../serve-function.ts'

const FN_PREFIX = /^\/fn\/([^/]+)(\/.*)?$/

async function serveById(ctx: HttpContext, c: Context, id: string, path: string): Promise<Response> {
  const fn = id.length <= 200 ? await ctx.served.get(id) : null
  if (!fn) throw new AppError('not_found', `No function ${id.slice(0, 200)}`)
  return serveFunction(c, ctx.serve, fn, path)
}

/** `/fn/:id` and everything below it: `/fn/:id/a/b?x=1` reaches the function as path `/a/b`. */
export function fnRoutes(ctx: HttpContext) {
  const app = new Hono()
  app.all('/*', async (c) => {
    // Matched on the raw path: the id and the rest go to the function exactly as the client sent them.
    const match = FN_PREFIX.exec(new URL(c.req.url).pathname)
    if (!match) throw new AppError('not_found', 'Use /fn/<function id>/<path>')
    let id: string
    try {
      id = decodeURIComponent(match[1]!)
    } catch {
      throw new AppError('not_found', 'Malformed function id')
    }
    return serveById(ctx, c, id, match[2] ?? '/')
  })
  return app
}

/**
 * Custom domains run before everything else: a Host that is a routed domain belongs to its
 * functions entirely (its `/api` is the function's, not ours). Other hosts fall through.
 */
export function hostRouting(ctx: HttpContext) {
  return createMiddleware(async (c, next) => {
    const host = hostOf(c.req.header('host'))
    if (host) {
      const { table } = await ctx.routing.current()
      if (table.hasHost(host)) {
        const path = new URL(c.req.url).pathname
        const route = table.match(host, path)
        if (!route) throw new AppError('not_found', `No function is routed at ${path} on ${host}`)
        return serveById(ctx, c, route.functionId, path)
      }
    }
    await next()
  })
}
