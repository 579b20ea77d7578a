import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

let t: TestServer
let alice: { id: string; token: string }
let bob: { id: string; token: string }
beforeAll(async () => {
  t = await startTestServer()
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(() => t?.close())

const hello = `export default (req) => ({ statusCode: 200, body: { hello: req.query.name ?? 'world', path: req.path } })`

async function createFn(token: string, body: Record<string, unknown>) {
  const res = await t.api('POST', '/api/edge-functions', { token, body })
  expect(res.status, res.text).toBe(201)
  return res.body
}

describe('auth', () => {
  it('refuses /api without a live bearer token', async () => {
    for (const token of [null, 'nope', 'ep_' + 'x'.repeat(43)]) {
      const res = await t.api('GET', '/api/edge-functions', { token })
      expect(res.status).toBe(401)
      expect(res.body.error.code).toBe('unauthorized')
    }
    expect((await t.api('GET', '/api/edge-functions', { headers: { authorization: 'Basic abc' }, token: null })).status).toBe(401)
  })

  it('only the admin manages users; a user sees itself and its own tokens', async () => {
    expect((await t.api('POST', '/api/users', { token: alice.token, body: { name: 'mallory' } })).status).toBe(403)
    expect((await t.api('GET', '/api/users', { token: alice.token })).status).toBe(403)
    expect((await t.api('GET', '/api/users/me', { token: alice.token })).body).toMatchObject({ id: alice.id, name: 'alice', role: 'user' })
    expect((await t.api('GET', `/api/users/${bob.id}`, { token: alice.token })).status).toBe(404)
    expect((await t.api('GET', `/api/users/${bob.id}/tokens`, { token: alice.token })).status).toBe(404)
    const users = await t.api('GET', '/api/users')
    expect(users.body.items.map((u: { name: string }) => u.name)).toEqual(expect.arrayContaining(['admin', 'alice', 'bob']))
    expect((await t.api('POST', '/api/users', { body: { name: 'alice' } })).status).toBe(409)
  })

  it('issues tokens shown once and stored hashed; a revoked token stops working at once', async () => {
    const issued = await t.api('POST', `/api/users/${alice.id}/tokens`, { token: alice.token, body: { name: 'ci' } })
    expect(issued.status).toBe(201)
    expect(issued.body.token).toMatch(/^ep_/)
    const listed = await t.api('GET', `/api/users/${alice.id}/tokens`, { token: alice.token })
    expect(listed.text).not.toContain(issued.body.token)
    expect((await t.api('GET', '/api/users/me', { token: issued.body.token })).status).toBe(200)
    expect((await t.api('DELETE', `/api/users/${alice.id}/tokens/${issued.body.id}`)).status).toBe(204)
    expect((await t.api('GET', '/api/users/me', { token: issued.body.token })).status).toBe(401)
  })
})

describe('functions API', () => {
  it('creates with env var names only, gets, lists with filters and pages, patches and deletes', async () => {
    const fn = await createFn(alice.token, { name: 'crud', code: hello, envVars: { SECRET: 'hunter2-value' }, timeout: 5000, memory: 64 })
    expect(fn).toMatchObject({ name: 'crud', envVarNames: ['SECRET'], timeout: 5000, memory: 64, status: 'ACTIVE', activeVersion: 1, url: `/fn/${fn.id}` })
    expect(JSON.stringify(fn)).not.toContain('hunter2-value')
    expect((await t.api('GET', `/api/edge-functions/${fn.id}`, { token: alice.token })).body.code).toBe(hello)
    await createFn(alice.token, { name: 'crud-two', code: hello, status: 'DISABLED' })
    const page = await t.api('GET', '/api/edge-functions?limit=1&name=crud', { token: alice.token })
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 0 })
    expect(page.body.items).toHaveLength(1)
    const disabled = await t.api('GET', '/api/edge-functions?status=DISABLED', { token: alice.token })
    expect(disabled.body.items.map((f: { name: string }) => f.name)).toEqual(['crud-two'])
    expect((await t.api('GET', '/api/edge-functions?limit=0', { token: alice.token })).status).toBe(400)

    const patched = await t.api('PATCH', `/api/edge-functions/${fn.id}`, { token: alice.token, body: { description: 'meta only' } })
    expect(patched.body).toMatchObject({ description: 'meta only', activeVersion: 1 })
    const v2 = await t.api('PATCH', `/api/edge-functions/${fn.id}`, { token: alice.token, body: { code: `export default () => 'v2'` } })
    expect(v2.body.activeVersion).toBe(2)
    expect((await t.api('DELETE', `/api/edge-functions/${fn.id}`, { token: alice.token })).status).toBe(204)
    expect((await t.api('GET', `/api/edge-functions/${fn.id}`, { token: alice.token })).status).toBe(404)
  })

  it('refuses code that does not compile with line and column, storing nothing', async () => {
    const res = await t.api('POST', '/api/edge-functions', { token: alice.token, body: { name: 'broken', code: 'export default () => {\n  let x = ;\n}' } })
    expect(res.status).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'compile_error', line: 2 })
    expect(typeof res.body.error.column).toBe('number')
    expect((await t.api('GET', '/api/edge-functions?name=broken', { token: alice.token })).body.total).toBe(0)
    const fn = await createFn(alice.token, { name: 'then-broken', code: hello })
    const bad = await t.api('PATCH', `/api/edge-functions/${fn.id}`, { token: alice.token, body: { code: 'export default (' } })
    expect(bad.body.error.code).toBe('compile_error')
    expect((await t.api('GET', `/api/edge-functions/${fn.id}/versions`, { token: alice.token })).body.items).toHaveLength(1)
  })

  it('names the bad field in validation errors', async () => {
    const cases: [unknown, string][] = [
      [{ code: hello }, 'name'],
      [{ name: 'Bad Name', code: hello }, 'name'],
      [{ name: 'ok', code: 42 }, 'code'],
      [{ name: 'ok', code: hello, timeout: 50 }, 'timeout'],
      [{ name: 'ok', code: hello, memory: 4096 }, 'memory'],
      [{ name: 'ok', code: hello, triggerType: 'CRON', cronSchedule: '61 * * * *' }, 'cronSchedule'],
      [{ name: 'ok', code: hello, rateLimit: { requests: 0, windowSeconds: 1 } }, 'rateLimit.requests'],
      ['{"name":"ok","code":"export default () => 1","envVars":{"__proto__":"x"}}', '__proto__'],
      [{ name: 'ok', code: hello, envVars: { constructor: 'x' } }, 'envVars.constructor'],
      [{ name: 'ok', code: hello, extra: true }, '(root)'],
    ]
    for (const [body, path] of cases) {
      const res = await t.api('POST', '/api/edge-functions', { token: alice.token, body })
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.error.code).toBe('validation_failed')
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(path)
    }
    const badJson = await t.api('POST', '/api/edge-functions', { token: alice.token, body: '{"name": ' })
    expect(badJson.status).toBe(400)
  })

  it("answers 404 for another user's function on every route", async () => {
    const fn = await createFn(alice.token, { name: 'private', code: hello })
    const routes: [string, string, unknown?][] = [
      ['GET', ''],
      ['PATCH', '', { description: 'x' }],
      ['DELETE', ''],
      ['POST', '/invoke', {}],
      ['GET', '/logs'],
      ['GET', '/metrics'],
      ['GET', '/versions'],
      ['POST', '/versions/1/activate'],
    ]
    for (const [method, suffix, body] of routes) {
      const res = await t.api(method, `/api/edge-functions/${fn.id}${suffix}`, { token: bob.token, body })
      expect(res.status, `${method} ${suffix}`).toBe(404)
      expect(res.body.error.code).toBe('not_found')
    }
    expect((await t.api('GET', '/api/edge-functions', { token: bob.token })).body.items.map((f: { id: string }) => f.id)).not.toContain(fn.id)
    expect((await t.api('GET', `/api/edge-functions/${fn.id}`, { token: alice.token })).status).toBe(200)
  })

  it('test-invokes, returns logs and metrics, and logs the invocation', async () => {
    const fn = await createFn(alice.token, {
      name: 'invoked',
      code: `export default (req) => { console.log('got', req.method, req.path); return { statusCode: 201, headers: { 'x-q': String(req.query.q) }, body: { body: req.body } } }`,
    })
    const res = await t.api('POST', `/api/edge-functions/${fn.id}/invoke`, {
      token: alice.token,
      body: { method: 'POST', path: '/things', headers: { 'x-test': '1' }, queryParams: { q: 'search' }, body: { n: 1 } },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ outcome: 'ok', response: { statusCode: 201, headers: { 'x-q': 'search' }, bodyEncoding: 'utf8' } })
    expect(JSON.parse(res.body.response.body)).toEqual({ body: '{"n":1}' })
    expect(res.body.logs[0].message).toBe('got POST /things')
    expect(res.body.metrics.durationMs).toBeGreaterThan(0)
    expect(typeof res.body.metrics.memoryBytes).toBe('number')
    const logs = await t.api('GET', `/api/edge-functions/${fn.id}/logs?outcome=ok&limit=10`, { token: alice.token })
    expect(logs.body.items.map((i: { id: string }) => i.id)).toContain(res.body.invocationId)
    const one = await t.api('GET', `/api/edge-functions/${fn.id}/logs/${res.body.invocationId}`, { token: alice.token })
    expect(one.body).toMatchObject({ trigger: 'TEST', method: 'POST', path: '/things', status: 201 })
    const metrics = await t.api('GET', `/api/edge-functions/${fn.id}/metrics?bucket=1m`, { token: alice.token })
    expect(metrics.status).toBe(200)
    expect(metrics.body.count).toBeGreaterThanOrEqual(1)
    expect((await t.api('GET', `/api/edge-functions/${fn.id}/metrics?bucket=90s`, { token: alice.token })).status).toBe(400)
    expect((await t.api('GET', `/api/edge-functions/${fn.id}/logs?outcome=bogus`, { token: alice.token })).status).toBe(400)
  })

  it('rolls back to an earlier version and serves it', async () => {
    const fn = await createFn(alice.token, { name: 'rollback', code: `export default () => 'one'` })
    await t.api('PATCH', `/api/edge-functions/${fn.id}`, { token: alice.token, body: { code: `export default () => 'two'` } })
    expect(await (await fetch(`${t.url}/fn/${fn.id}`)).text()).toBe('two')
    const versions = await t.api('GET', `/api/edge-functions/${fn.id}/versions`, { token: alice.token })
    expect(versions.body.items.map((v: { number: number }) => v.number)).toEqual([2, 1])
    expect((await t.api('GET', `/api/edge-functions/${fn.id}/versions/1`, { token: alice.token })).body.code).toBe(`export default () => 'one'`)
    const activated = await t.api('POST', `/api/edge-functions/${fn.id}/versions/1/activate`, { token: alice.token })
    expect(activated.body.activeVersion).toBe(1)
    expect(await (await fetch(`${t.url}/fn/${fn.id}`)).text()).toBe('one')
    expect((await t.api('POST', `/api/edge-functions/${fn.id}/versions/9/activate`, { token: alice.token })).status).toBe(404)
    expect((await t.api('POST', `/api/edge-functions/${fn.id}/versions/x/activate`, { token: alice.token })).status).toBe(400)
  })
})
