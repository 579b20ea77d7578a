import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

/**
 * The server answers function traffic straight from node:http, and the Hono app answers the same
 * traffic for every other host of the app: both must give the same answer to the same request.
 */
let t: TestServer
let owner: { id: string; token: string }
beforeAll(async () => {
  t = await startTestServer({ EDGEPAD_MAX_BODY_BYTES: '2048' })
  owner = await t.user('paths-owner')
})
afterAll(() => t?.close())

async function deploy(name: string, code: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.api('POST', '/api/edge-functions', { token: owner.token, body: { name, code, ...extra } })
  expect(res.status, res.text).toBe(201)
  return res.body.id
}

const VARYING = new Set(['date', 'retry-after', 'x-edgepad-invocation-id', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

async function snapshot(res: Response) {
  const headers: [string, string][] = []
  res.headers.forEach((value, name) => {
    if (!VARYING.has(name)) headers.push([name, value])
  })
  const text = await res.text()
  return { status: res.status, headers: headers.sort(), body: text.replace(/"invocationId":"[^"]+"/, '"invocationId":"…"') }
}

describe('function traffic: node:http fast path and the Hono app agree', () => {
  it('on success, errors, limits, HEAD, bodies, queries and unknown functions', async () => {
    const echo = await deploy(
      'paths-echo',
      `export default async (req) => ({ statusCode: 201, headers: { 'x-multi': req.headers['x-multi'] ?? '', 'set-cookie': ['a=1', 'b=2'] },
        body: { method: req.method, path: req.path, query: req.query, body: req.body, url: req.url.replace(/:\\d+/, ':PORT') } })`,
    )
    const thrower = await deploy('paths-thrower', `export default () => { throw new Error('boom') }`, { debugResponses: true })
    const limited = await deploy('paths-limited', `export default () => 'ok'`, { rateLimit: { requests: 1, windowSeconds: 60, key: 'header:x-key' } })
    const cases: [string, RequestInit][] = [
      [`/fn/${echo}/a/b?x=1&x=2&y=%20`, { headers: { 'x-multi': 'v' } }],
      [`/fn/${echo}`, { method: 'POST', body: 'hello body', headers: { 'content-type': 'text/plain' } }],
      [`/fn/${echo}/./c/../d`, {}],
      [`/fn/${echo}/head`, { method: 'HEAD' }],
      [`/fn/${echo}`, { method: 'PUT', body: 'x'.repeat(4000) }],
      [`/fn/${thrower}`, {}],
      [`/fn/no-such-function`, {}],
      [`/fn/%E0%A4%A`, {}],
      [`/fn`, {}],
      [`/fn/${limited}`, { headers: { 'x-key': 'k1' } }],
      [`/fn/${limited}`, { headers: { 'x-key': 'k1' } }],
    ]
    for (const [path, init] of cases) {
      const direct = await snapshot(await fetch(`${t.url}${path}`, init))
      // The Hono app on its own (as any other host of it would run it), same request; the rate
      // limit is shared state, so the app's requests use their own key.
      const appInit = path.endsWith(limited) ? { headers: { 'x-key': 'k2' } } : init
      const viaApp = await snapshot(await t.server.http.app.request(`${t.url}${path}`, appInit))
      expect(viaApp, `${init.method ?? 'GET'} ${path}`).toEqual(direct)
    }
    const limitedTwice = await fetch(`${t.url}/fn/${limited}`, { headers: { 'x-key': 'k1' } })
    expect(limitedTwice.status).toBe(429)
    expect(limitedTwice.headers.get('retry-after')).toMatch(/^\d+$/)
    const appLimited = await t.server.http.app.request(`${t.url}/fn/${limited}`, { headers: { 'x-key': 'k2' } })
    expect(appLimited.status).toBe(429)
    expect(appLimited.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})

describe('EDGEPAD_INVOCATION_LOG=off', () => {
  it('serves as usual and logs nothing', async () => {
    const quiet = await startTestServer({ EDGEPAD_INVOCATION_LOG: 'off' })
    try {
      const created = await quiet.api('POST', '/api/edge-functions', { body: { name: 'quiet', code: `export default () => 'shh'` } })
      const res = await fetch(`${quiet.url}/fn/${created.body.id}`)
      expect(await res.text()).toBe('shh')
      expect(res.headers.get('x-edgepad-invocation-id')).toBeTruthy()
      const invoked = await quiet.api('POST', `/api/edge-functions/${created.body.id}/invoke`, { body: {} })
      expect(invoked.status).toBe(200)
      await quiet.server.flushInvocationLog()
      const logs = await quiet.api('GET', `/api/edge-functions/${created.body.id}/logs`)
      expect(logs.body.items).toEqual([])
    } finally {
      await quiet.close()
    }
  })
})
