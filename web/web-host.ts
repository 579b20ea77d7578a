import { timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { isAppError, type ErrorCode } from '../common/errors.ts'
import { toWireError } from '../common/contracts/rpc.ts'
import { ERROR_STATUS } from '../core/http/error-response.ts'
import { RENDERER_CSP } from '../common/contracts/content-security-policy.ts'
import { resolveStatic } from './static-files.ts'

export interface WebHostOptions {
  token: string
  /** The built renderer (out/renderer). */
  staticDir: string
  call(service: string, method: string, input: unknown): Promise<unknown>
  /** Subscribes to host events; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void
  /** Host header values accepted, e.g. `127.0.0.1:5178`: refuses DNS-rebinding pages. */
  allowedHosts: () => string[]
}

function sameToken(given: string | undefined, expected: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Serves the same renderer and the same services as the desktop app, over HTTP on loopback. */
export function createWebHost(options: WebHostOptions): Hono {
  const app = new Hono()

  app.use('*', async (c, next) => {
    if (!options.allowedHosts().includes(c.req.header('host') ?? '')) return c.text('Unknown host', 403)
    await next()
    c.header('x-content-type-options', 'nosniff')
    c.header('referrer-policy', 'no-referrer')
  })

  app.post('/rpc/:service/:method', async (c) => {
    const auth = c.req.header('authorization')
    if (!sameToken(auth?.replace(/^Bearer /, ''), options.token)) {
      return c.json({ error: { code: 'unauthorized', message: 'Open the URL printed by `npm run web` (it carries the token)' } }, 401)
    }
    let input: unknown
    try {
      input = await c.req.json()
    } catch {
      return c.json({ error: { code: 'validation_failed', message: 'Body must be JSON' } }, 400)
    }
    try {
      return c.json({ result: await options.call(c.req.param('service'), c.req.param('method'), input) })
    } catch (error) {
      if (!isAppError(error)) console.error('[web] service failed', error)
      const wire = toWireError(error)
      return c.json({ error: wire }, ERROR_STATUS[wire.code as ErrorCode] ?? 500)
    }
  })

  // EventSource cannot send headers, so this one route takes the token from the query.
  app.get('/events', (c) => {
    if (!sameToken(c.req.query('token'), options.token)) return c.text('Unauthorized', 401)
    return streamSSE(c, async (stream) => {
      const queue: { event: string; data: string }[] = []
      let wake: (() => void) | null = null
      const unsubscribe = options.subscribe((event, payload) => {
        queue.push({ event, data: JSON.stringify(payload) })
        wake?.()
      })
      stream.onAbort(() => {
        unsubscribe()
        wake?.()
      })
      while (!stream.aborted) {
        const next = queue.shift()
        if (next) await stream.writeSSE(next)
        else await new Promise<void>((resolve) => (wake = resolve))
      }
      unsubscribe()
    })
  })

  app.get('*', (c) => {
    const found = resolveStatic(options.staticDir, c.req.path) ?? (c.req.path.includes('.') ? null : resolveStatic(options.staticDir, '/'))
    if (!found) return c.text('Not found', 404)
    c.header('content-type', found.type)
    if (found.type.startsWith('text/html')) {
      c.header('content-security-policy', RENDERER_CSP)
      c.header('cache-control', 'no-store')
    }
    return c.body(fs.readFileSync(found.file))
  })

  return app
}
