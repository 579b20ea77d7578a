import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { AppError } from '../../../common/errors.ts'
import { parseOrThrow } from '../../../common/validation.ts'
import { idParam, logsQuerySchema, metricsQuerySchema } from '../api-schemas.ts'
import type { AppEnv } from '../app-env.ts'
import { ownedFunction } from '../function-access.ts'
import { functionView } from '../function-view.ts'
import type { HttpContext } from '../http-context.ts'

const versionParam = z.coerce.number().int().min(1).max(1_000_000_000)
const HOUR_MS = 3_600_000

/** Logs, metrics and versions of one function, plus rollback. */
export function observeRoutes(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  const { store } = ctx
  const owned = (c: Context<AppEnv>) => ownedFunction(ctx, c.get('user'), parseOrThrow(idParam, c.req.param('id'), 'id'))

  app.get('/:id/logs', async (c) => {
    const fn = await owned(c)
    const q = parseOrThrow(logsQuerySchema, c.req.query(), 'query')
    const { outcome, method, ...rest } = q
    return c.json(await store.invocations.query({ ...rest, functionId: fn.id, ...(outcome ? { outcomes: outcome } : {}), ...(method ? { methods: method } : {}) }))
  })

  app.get('/:id/logs/:invocationId', async (c) => {
    const fn = await owned(c)
    const record = await store.invocations.get(parseOrThrow(idParam, c.req.param('invocationId'), 'invocationId')).catch(() => null)
    if (!record || record.functionId !== fn.id) throw new AppError('not_found', 'Invocation not found')
    return c.json(record)
  })

  app.get('/:id/metrics', async (c) => {
    const fn = await owned(c)
    const q = parseOrThrow(metricsQuerySchema, c.req.query(), 'query')
    const to = q.to ?? ctx.now()
    const from = q.from ?? to - HOUR_MS
    return c.json(await store.metrics.get({ functionId: fn.id, from, to, ...(q.bucket !== undefined ? { bucketMs: q.bucket } : {}), ...(q.version !== undefined ? { version: q.version } : {}) }))
  })

  app.get('/:id/versions', async (c) => {
    const fn = await owned(c)
    return c.json({ activeVersion: fn.activeVersion, items: await store.versions.list(fn.id) })
  })

  app.get('/:id/versions/:n', async (c) => {
    const fn = await owned(c)
    return c.json(await store.versions.get(fn.id, parseOrThrow(versionParam, c.req.param('n'), 'version')))
  })

  app.post('/:id/versions/:n/activate', async (c) => {
    const fn = await owned(c)
    const updated = await store.functions.activateVersion(fn.id, parseOrThrow(versionParam, c.req.param('n'), 'version'))
    ctx.served.invalidate(fn.id)
    return c.json(functionView(updated, await store.functionSettings.get(fn.id)))
  })

  return app
}
