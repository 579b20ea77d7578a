import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawGet, startTestServer, type TestServer } from './fixtures/test-server.ts'

let t: TestServer
/** Loosely typed: assertions index into arbitrary JSON. */
const json = (res: Response): Promise<any> => res.json()
let owner: { id: string; token: string }
beforeAll(async () => {
  t = await startTestServer({ EDGEPAD_MAX_BODY_BYTES: '2048' })
  owner = await t.user('owner')
})
afterAll(() => t?.close())

async function deploy(name: string, code: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/api/edge-functions', { token: owner.token, body: { name, code, ...extra } })
  expect(res.status, res.text).toBe(201)
  return res.body.id
}

describe('serving at /fn/:id', () => {
  it('the first request after a save is warm: the save\'s compile check loaded the isolate that serves it', async () => {
    const id = await deploy('prewarmed', `export default () => 'warm already'`)
    const res = await fetch(`${t.url}/fn/${id}`)
    expect(await res.text()).toBe('warm already')
    // Served traffic is logged in the background: wait for the row to be committed.
    let logs = await t.api('GET', `/api/edge-functions/${id}/logs`, { token: owner.token })
    for (let i = 0; i < 50 && logs.body.items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20))
      logs = await t.api('GET', `/api/edge-functions/${id}/logs`, { token: owner.token })
    }
    expect(logs.body.items).toHaveLength(1)
    expect(logs.body.items[0].coldStart).toBe(false)
  })

  it('passes the sub-path, query, method, headers and body, and returns the real status, headers and body', async () => {
    const id = await deploy(
      'echo',
      `export default async (req) => ({ statusCode: 202, headers: { 'x-echo': req.headers['x-in'] ?? '', 'set-cookie': 'a=1' },
        body: { method: req.method, path: req.path, query: req.query, body: req.body, url: req.url } })`,
    )
    const res = await fetch(`${t.url}/fn/${id}/anything/deep?x=1&x=2`, { method: 'PUT', headers: { 'x-in': 'hi' }, body: 'payload' })
    expect(res.status).toBe(202)
    expect(res.headers.get('x-echo')).toBe('hi')
    expect(res.headers.get('set-cookie')).toBe('a=1')
    expect(res.headers.get('x-edgepad-invocation-id')).toMatch(/^[0-9a-f-]{36}$/)
    const body = await json(res)
    expect(body).toMatchObject({ method: 'PUT', path: '/anything/deep', query: { x: ['1', '2'] }, body: 'payload' })
    expect(body.url).toMatch(/\/anything\/deep\?x=1&x=2$/)
    const root = await json(await fetch(`${t.url}/fn/${id}`))
    expect(root.path).toBe('/')
  })

  it('keeps repeated set-cookie headers and answers HEAD without a body', async () => {
    const id = await deploy('cookies', `export default () => new Response('hi', { headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=2']] })`)
    const res = await fetch(`${t.url}/fn/${id}`)
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    const head = await fetch(`${t.url}/fn/${id}`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })

  it('maps failed outcomes to their statuses with a JSON error, the stack only with debug responses', async () => {
    const code = `export default () => { throw new Error('kaboom-secret') }`
    const quiet = await deploy('thrower', code)
    const res = await fetch(`${t.url}/fn/${quiet}`)
    expect(res.status).toBe(500)
    const body = await json(res)
    expect(body.error).toMatchObject({ code: 'runtime_error', message: 'The function threw an error' })
    expect(JSON.stringify(body)).not.toContain('kaboom-secret')
    const loud = await deploy('thrower-debug', code, { debugResponses: true })
    const debug = await json(await fetch(`${t.url}/fn/${loud}`))
    expect(debug.error.detail).toContain('kaboom-secret')
    expect(debug.error.stack).toContain('thrower-debug.js')

    const slow = await deploy('sleeper', `export default () => new Promise(() => {})`, { timeout: 1000 })
    expect((await fetch(`${t.url}/fn/${slow}`)).status).toBe(504)
    const invalid = await deploy('invalid', `export default () => ({ statusCode: 99 })`)
    expect((await fetch(`${t.url}/fn/${invalid}`)).status).toBe(500)
  })

  it('answers 404 for unknown ids and 503 for disabled functions, as JSON errors', async () => {
    for (const path of ['/fn/nope', '/fn/%E0%A4%A', `/fn/${'x'.repeat(300)}`, '/nothing-here']) {
      const res = await fetch(`${t.url}${path}`)
      expect(res.status, path).toBe(404)
      expect((await json(res)).error.code).toBe('not_found')
    }
    const id = await deploy('off', `export default () => 'x'`, { status: 'DISABLED' })
    expect((await fetch(`${t.url}/fn/${id}`)).status).toBe(503)
  })

  it('caps request bodies with 413, declared or streamed', async () => {
    const id = await deploy('sink', `export default (req) => String(req.body?.length ?? 0)`)
    expect(await (await fetch(`${t.url}/fn/${id}`, { method: 'POST', body: 'x'.repeat(2048) })).text()).toBe('2048')
    const declared = await fetch(`${t.url}/fn/${id}`, { method: 'POST', body: 'x'.repeat(5000) })
    expect(declared.status).toBe(413)
    expect((await json(declared)).error.code).toBe('payload_too_large')
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(1000)))
        controller.close()
      },
    })
    const chunked = await fetch(`${t.url}/fn/${id}`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)
    expect(chunked.status).toBe(413)
  })

  it('rate limits per key with 429 and Retry-After', async () => {
    const id = await deploy('limited', `export default () => 'ok'`, { rateLimit: { requests: 3, windowSeconds: 60, key: 'header:x-api-key' } })
    const call = (key: string) => fetch(`${t.url}/fn/${id}`, { headers: { 'x-api-key': key } })
    for (let i = 0; i < 3; i++) expect((await call('a')).status).toBe(200)
    const limited = await call('a')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await json(limited)).error.code).toBe('rate_limited')
    expect((await call('b')).status).toBe(200)
    // Lifting the limit takes effect at once.
    await t.api('PATCH', `/api/edge-functions/${id}`, { token: owner.token, body: { rateLimit: null } })
    expect((await call('a')).status).toBe(200)
  })

  it('a worker killed mid-request: its connection is reset, the invocation is logged as internal_error, and the next request is fine', async () => {
    const id = await deploy('victim', `export default async (req) => { if (req.path === '/slow') await new Promise((r) => setTimeout(r, 3000)); return 'alive' }`)
    expect(await (await fetch(`${t.url}/fn/${id}`)).text()).toBe('alive')
    const worker = t.server.runtime.workerFor(id)
    const pid = worker.pid
    // One plain request on its own connection (fetch would retry an idempotent GET on a fresh one).
    const inflight = rawGet(`${t.url}/fn/${id}/slow`)
    await new Promise((r) => setTimeout(r, 300))
    worker.kill('SIGKILL')
    expect(await inflight).toMatchObject({ error: expect.stringMatching(/ECONNRESET|socket hang up/) })
    for (let i = 0; i < 200 && worker.pid === pid; i++) await new Promise((r) => setTimeout(r, 25))
    const next = await fetch(`${t.url}/fn/${id}`)
    expect(next.status).toBe(200)
    expect(await next.text()).toBe('alive')
    await t.server.flushInvocationLog()
    const logs = await t.api('GET', `/api/edge-functions/${id}/logs`, { token: owner.token })
    expect(logs.body.items.find((row: { path: string }) => row.path === '/slow')).toMatchObject({ outcome: 'internal_error', status: 503 })
  })

  it('logs served traffic with trigger HTTP', async () => {
    const id = await deploy('logged', `export default () => 'x'`)
    await fetch(`${t.url}/fn/${id}/p`)
    await t.server.flushInvocationLog()
    const logs = await t.api('GET', `/api/edge-functions/${id}/logs`, { token: owner.token })
    expect(logs.body.items[0]).toMatchObject({ trigger: 'HTTP', path: '/p', status: 200 })
  })
})
