import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import type { HttpContext } from '../http-context.ts'
import { serverVersion } from '../server-version.ts'

/**
 * What a client (the IDE's sync, the CLI) checks before publishing: which server, and how it builds
 * public URLs. `logBacklogBytes`: served invocations journaled and not yet searchable in the log
 * (the indexer catches up when load eases; operators and bench:peers watch it).
 */
export function serverInfoRoute(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  app.get('/', (c) => c.json({ name: 'edgepad', version: serverVersion(), apiVersion: 1, baseDomain: ctx.options.baseDomain, logBacklogBytes: ctx.store.journals?.backlogBytes() ?? 0 }))
  return app
}
