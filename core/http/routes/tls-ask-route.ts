import { Hono } from 'hono'
import { AppError } from '../../../common/errors.ts'
import type { HttpContext } from '../http-context.ts'
import { hostOf } from '../route-table.ts'

/**
 * Caddy's on-demand TLS `ask` hook: 200 when `?domain=` is a host this server routes (a verified
 * domain or a routed subdomain), 404 otherwise, so Caddy never requests certificates for
 * arbitrary names pointed at the box. Unauthenticated: it reveals only what DNS already does.
 */
export function tlsAskRoute(ctx: HttpContext) {
  const app = new Hono()
  app.get('/', async (c) => {
    const host = hostOf(c.req.query('domain'))
    const { table, verifiedDomains } = await ctx.routing.current()
    if (host && (table.hasHost(host) || verifiedDomains.some((d) => d.hostname === host))) return c.json({ ok: true })
    throw new AppError('not_found', 'Not a host this server serves')
  })
  return app
}
