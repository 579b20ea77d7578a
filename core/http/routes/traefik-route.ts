import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { requireAdmin } from '../auth-middleware.ts'
import type { HttpContext } from '../http-context.ts'
import { traefikConfig } from '../traefik-config.ts'

/** `GET /api/traefik/config`: point Traefik's HTTP provider here (admin token in its `headers`). */
export function traefikRoute(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  app.get('/config', async (c) => {
    requireAdmin(c.get('user').role)
    const { table, verifiedDomains } = await ctx.routing.fresh()
    const hosts = table.hosts()
    const domains = verifiedDomains.map((d) => ({ id: d.id, hostname: d.hostname, hosts: hosts.filter((h) => h === d.hostname || h.endsWith(`.${d.hostname}`)) }))
    return c.json(traefikConfig(domains, ctx.options.traefik))
  })
  return app
}
