import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await startTestServer({ EDGEPAD_BASE_DOMAIN: 'edge.test' })
})
afterAll(() => t?.close())

describe('API additions for publishing clients', () => {
  it('GET /api/server names the server, its version and base domain (authenticated)', async () => {
    expect((await t.api('GET', '/api/server', { token: null })).status).toBe(401)
    const info = await t.api('GET', '/api/server')
    expect(info.body).toEqual({ name: 'edgepad', version: expect.stringMatching(/^\d+\.\d+\.\d+/), apiVersion: 1, baseDomain: 'edge.test', logBacklogBytes: expect.any(Number) })
  })

  it('PATCH setEnvVars sets some variables and keeps the others', async () => {
    const created = await t.api('POST', '/api/edge-functions', {
      body: { name: 'envs', code: 'export default () => new Response(JSON.stringify(env))', envVars: { A: '1', B: '2' } },
    })
    const id = created.body.id as string
    const patched = await t.api('PATCH', `/api/edge-functions/${id}`, { body: { setEnvVars: { B: 'two', C: '3' } } })
    expect(patched.status).toBe(200)
    expect(patched.body.envVarNames).toEqual(['A', 'B', 'C'])
    expect(patched.body.activeVersion).toBe(1)
    const served = await fetch(`${t.url}/fn/${id}`)
    expect(await served.json()).toEqual({ A: '1', B: 'two', C: '3' })
    const both = await t.api('PATCH', `/api/edge-functions/${id}`, { body: { envVars: {}, setEnvVars: { A: 'x' } } })
    expect(both.status).toBe(400)
    expect(both.body.error.code).toBe('validation_failed')
  })
})
