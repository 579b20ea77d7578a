import { randomUUID } from 'node:crypto'
import { Hono } from 'hono'
import type { FunctionUpdateInput } from '../../../common/model/function.ts'
import { DEFAULT_HTTP_SETTINGS, type FunctionHttpSettings } from '../../../common/model/http-settings.ts'
import { TIMEOUT_MS, MEMORY_MB } from '../../../common/model/limits.ts'
import { parseOrThrow } from '../../../common/validation.ts'
import { apiFunctionCreateSchema, apiFunctionPatchSchema, idParam, listQuerySchema, type ApiFunctionPatch } from '../api-schemas.ts'
import type { AppEnv } from '../app-env.ts'
import { checkCompiles, checkLink, ownedFunction } from '../function-access.ts'
import { functionView } from '../function-view.ts'
import type { HttpContext } from '../http-context.ts'
import { readJson } from '../read-body.ts'

/** The API's field names → the store's; undefined fields stay undefined so a patch never resets them. */
function toStore(input: ApiFunctionPatch): FunctionUpdateInput {
  const { timeout, memory, rateLimit: _r, debugResponses: _d, setEnvVars: _s, ...rest } = input
  return { ...rest, timeoutMs: timeout, memoryMb: memory }
}

function settingsPatch(input: ApiFunctionPatch, current: FunctionHttpSettings): FunctionHttpSettings | null {
  if (input.rateLimit === undefined && input.debugResponses === undefined) return null
  return { rateLimit: input.rateLimit === undefined ? current.rateLimit : input.rateLimit, debugResponses: input.debugResponses ?? current.debugResponses }
}

export function functionsRoutes(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  const { functions, functionSettings } = ctx.store

  app.get('/', async (c) => {
    const q = parseOrThrow(listQuerySchema, c.req.query(), 'query')
    const all = (await functions.list(c.get('user').id)).filter((f) => (!q.status || f.status === q.status) && (!q.name || f.name.includes(q.name)))
    const page = all.slice(q.offset, q.offset + q.limit)
    const items = await Promise.all(page.map(async (f) => functionView(f, await functionSettings.get(f.id))))
    return c.json({ items, total: all.length, limit: q.limit, offset: q.offset })
  })

  app.post('/', async (c) => {
    const user = c.get('user')
    const input = parseOrThrow(apiFunctionCreateSchema, await readJson(c.req.raw, ctx.options.maxApiBodyBytes), 'function')
    await checkLink(ctx, user, { id: '', domainId: input.domainId ?? null, subdomain: input.subdomain ?? null, path: input.path ?? null })
    // The check runs under the id the function will have, so the isolate it warms is the one that serves it.
    const id = randomUUID()
    await checkCompiles(ctx, id, {
      name: input.name,
      envVars: input.envVars ?? {},
      code: input.code,
      runtime: input.runtime ?? 'JAVASCRIPT',
      handler: input.handler ?? 'default',
      timeoutMs: input.timeout ?? TIMEOUT_MS.default,
      memoryMb: input.memory ?? MEMORY_MB.default,
    })
    const { function: fn } = await functions.create({ ...toStore(input), id, owner: user.id, name: input.name, code: input.code })
    const settings = settingsPatch(input, DEFAULT_HTTP_SETTINGS) ?? DEFAULT_HTTP_SETTINGS
    if (settings !== DEFAULT_HTTP_SETTINGS) await functionSettings.set(fn.id, settings)
    ctx.routing.invalidate()
    return c.json(functionView(fn, settings), 201)
  })

  app.get('/:id', async (c) => {
    const fn = await ownedFunction(ctx, c.get('user'), parseOrThrow(idParam, c.req.param('id'), 'id'))
    return c.json(functionView(fn, await functionSettings.get(fn.id)))
  })

  app.patch('/:id', async (c) => {
    const user = c.get('user')
    const current = await ownedFunction(ctx, user, parseOrThrow(idParam, c.req.param('id'), 'id'))
    const parsed = parseOrThrow(apiFunctionPatchSchema, await readJson(c.req.raw, ctx.options.maxApiBodyBytes), 'function update')
    const { setEnvVars, ...rest } = parsed
    const input: ApiFunctionPatch = setEnvVars ? { ...rest, envVars: { ...(await functions.revealEnvVars(current.id)), ...setEnvVars } } : parsed
    const next = { ...current, ...Object.fromEntries(Object.entries(toStore(input)).filter(([, v]) => v !== undefined)) } as typeof current
    if (input.domainId !== undefined || input.subdomain !== undefined || input.path !== undefined) await checkLink(ctx, user, next)
    // Anything that changes the served spec is checked: code can only fail on the first three, but the check also warms the new version.
    const specFields = [input.code, input.runtime, input.handler, input.timeout, input.memory, input.envVars, input.name]
    if (specFields.some((v) => v !== undefined)) {
      const envVars = input.envVars ?? (await functions.revealEnvVars(current.id))
      const { name, code, runtime, handler, timeoutMs, memoryMb } = next
      await checkCompiles(ctx, current.id, { name, code, runtime, handler, timeoutMs, memoryMb, envVars })
    }
    const { function: fn, versionCreated } = await functions.update(current.id, toStore(input))
    let settings = await functionSettings.get(fn.id)
    const changed = settingsPatch(input, settings)
    if (changed) {
      await functionSettings.set(fn.id, changed)
      settings = changed
    }
    ctx.served.invalidate(fn.id)
    ctx.routing.invalidate()
    // Whether this PATCH wrote a version (code equal to an existing version re-activates that one).
    return c.json({ ...functionView(fn, settings), versionCreated })
  })

  app.delete('/:id', async (c) => {
    const fn = await ownedFunction(ctx, c.get('user'), parseOrThrow(idParam, c.req.param('id'), 'id'))
    await functions.delete(fn.id)
    ctx.served.invalidate(fn.id)
    ctx.routing.invalidate()
    return c.body(null, 204)
  })

  return app
}
