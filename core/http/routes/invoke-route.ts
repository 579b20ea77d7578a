import { Hono } from 'hono'
import { AppError } from '../../../common/errors.ts'
import { parseOrThrow } from '../../../common/validation.ts'
import { idParam, invokeSchema } from '../api-schemas.ts'
import type { AppEnv } from '../app-env.ts'
import { ownedFunction } from '../function-access.ts'
import type { HttpContext } from '../http-context.ts'
import { invokeFunction } from '../invoke-function.ts'
import { readJson } from '../read-body.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Bodies that are valid UTF-8 come back as text; anything else as base64, so JSON can carry it. */
function encodeBody(bytes: Uint8Array): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  try {
    return { body: utf8.decode(bytes), bodyEncoding: 'utf8' }
  } catch {
    return { body: Buffer.from(bytes).toString('base64'), bodyEncoding: 'base64' }
  }
}

/** `POST /api/edge-functions/:id/invoke`: a test run of the active version, logged like any invocation. */
export function invokeRoute(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  app.post('/:id/invoke', async (c) => {
    const fn = await ownedFunction(ctx, c.get('user'), parseOrThrow(idParam, c.req.param('id'), 'id'))
    const input = parseOrThrow(invokeSchema, await readJson(c.req.raw, ctx.options.maxApiBodyBytes), 'invocation')
    const served = await ctx.served.get(fn.id)
    if (!served) throw new AppError('not_found', `Function ${fn.id} has no active version`)
    const body = input.body === undefined || input.body === null ? null : typeof input.body === 'string' ? input.body : JSON.stringify(input.body)
    const headers = { ...input.headers }
    if (body !== null && typeof input.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
      headers['content-type'] = 'application/json'
    }
    const { invocationId, result } = await invokeFunction(
      ctx.serve,
      served,
      { method: input.method, path: input.path, query: input.queryParams, headers, body },
      'TEST',
      true,
    )
    const { response, metrics, error } = result
    return c.json({
      invocationId,
      outcome: result.outcome,
      response: { statusCode: response.statusCode, headers: response.headers, ...encodeBody(response.body) },
      logs: result.console,
      metrics: { durationMs: metrics.wallMs, cpuMs: metrics.cpuMs, memoryBytes: metrics.peakHeapBytes, coldStart: metrics.coldStart },
      ...(error ? { error } : {}),
    })
  })
  return app
}
