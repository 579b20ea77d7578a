import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDnsServer, type TestDnsServer } from './fixtures/dns-server.ts'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

let t: TestServer
let dns: TestDnsServer
let alice: { id: string; token: string }
let bob: { id: string; token: string }
beforeAll(async () => {
  dns = await startDnsServer()
  t = await startTestServer({ EDGEPAD_DNS_SERVERS: dns.address, EDGEPAD_BASE_DOMAIN: 'edge.test' })
  alice = await t.user('alice')
  bob = await t.user('bob')
})
afterAll(async () => {
  await t?.close()
  await dns?.close()
})

/** A request as a proxy would forward it: the client's Host, our address. */
async function viaHost(host: string, path: string): Promise<{ status: number; text: string }> {
  const { request } = await import('node:http')
  return new Promise((resolve, reject) => {
    const req = request(`${t.url}${path}`, { headers: { host } }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function verifiedDomain(token: string, hostname: string): Promise<string> {
  const created = await t.api('POST', '/api/domains', { token, body: { hostname } })
  expect(created.status, created.text).toBe(201)
  expect(created.body.verification).toEqual({ type: 'TXT', name: `_edgepad.${hostname}`, value: created.body.verificationToken })
  dns.setTxt(`_edgepad.${hostname}`, ['unrelated', created.body.verificationToken])
  const verified = await t.api('POST', `/api/domains/${created.body.id}/verify`, { token })
  expect(verified.status, verified.text).toBe(200)
  expect(verified.body.verifiedAt).toBeTypeOf('number')
  return created.body.id
}

const echo = (tag: string) => `export default (req) => ({ statusCode: 200, body: { tag: '${tag}', path: req.path } })`

describe('domains', () => {
  it('verifies only when the TXT record holds the token; unverified domains cannot be linked', async () => {
    const created = await t.api('POST', '/api/domains', { token: alice.token, body: { hostname: 'Pending.Example.com' } })
    expect(created.body.hostname).toBe('pending.example.com')
    const missing = await t.api('POST', `/api/domains/${created.body.id}/verify`, { token: alice.token })
    expect(missing.status).toBe(409)
    dns.setTxt('_edgepad.pending.example.com', ['edgepad-verify-wrong'])
    expect((await t.api('POST', `/api/domains/${created.body.id}/verify`, { token: alice.token })).status).toBe(409)
    const link = await t.api('POST', '/api/edge-functions', { token: alice.token, body: { name: 'early', code: echo('x'), domainId: created.body.id } })
    expect(link.status).toBe(400)
    expect(link.body.error.details[0].path).toBe('domainId')
    expect((await t.api('POST', '/api/domains', { token: alice.token, body: { hostname: 'not a host' } })).status).toBe(400)
    expect((await t.api('POST', '/api/domains', { token: bob.token, body: { hostname: 'pending.example.com' } })).status).toBe(409)
  })

  it("hides other users' domains and refuses linking to them", async () => {
    const id = await verifiedDomain(alice.token, 'alice.example.com')
    expect((await t.api('GET', `/api/domains/${id}`, { token: bob.token })).status).toBe(404)
    expect((await t.api('POST', `/api/domains/${id}/verify`, { token: bob.token })).status).toBe(404)
    expect((await t.api('DELETE', `/api/domains/${id}`, { token: bob.token })).status).toBe(404)
    expect((await t.api('GET', '/api/domains', { token: bob.token })).body.items).toEqual([])
    const link = await t.api('POST', '/api/edge-functions', { token: bob.token, body: { name: 'thief', code: echo('x'), domainId: id } })
    expect(link.status).toBe(400)
  })

  it('routes by Host and longest path prefix, refuses conflicting routes, and unlinks', async () => {
    const domainId = await verifiedDomain(alice.token, 'shop.example.com')
    const mk = async (name: string, extra: Record<string, unknown>) => {
      const res = await t.api('POST', '/api/edge-functions', { token: alice.token, body: { name, code: echo(name), domainId, ...extra } })
      expect(res.status, res.text).toBe(201)
      return res.body.id as string
    }
    await mk('root', {})
    await mk('api', { path: '/api' })
    await mk('api-v2', { path: '/api/v2' })
    await mk('sub', { subdomain: 'blog' })

    expect(JSON.parse((await viaHost('shop.example.com', '/anything')).text)).toEqual({ tag: 'root', path: '/anything' })
    expect(JSON.parse((await viaHost('shop.example.com:443', '/api/users')).text).tag).toBe('api')
    expect(JSON.parse((await viaHost('SHOP.example.com', '/api/v2/x')).text).tag).toBe('api-v2')
    expect(JSON.parse((await viaHost('shop.example.com', '/apiary')).text).tag).toBe('root')
    expect(JSON.parse((await viaHost('blog.shop.example.com', '/post/1')).text).tag).toBe('sub')
    // An unknown host falls through to the management routes.
    expect((await viaHost('unknown.example.org', '/healthz')).status).toBe(200)

    const conflict = await t.api('POST', '/api/edge-functions', { token: alice.token, body: { name: 'dupe', code: echo('d'), domainId, path: '/api/' } })
    expect(conflict.status).toBe(409)
    expect(conflict.body.error.code).toBe('conflict')

    expect((await t.api('DELETE', `/api/domains/${domainId}`, { token: alice.token })).status).toBe(409)
  })

  it('routes <subdomain>.<base domain> without a custom domain', async () => {
    const res = await t.api('POST', '/api/edge-functions', { token: bob.token, body: { name: 'based', code: echo('based'), subdomain: 'bobs' } })
    expect(res.status).toBe(201)
    expect(JSON.parse((await viaHost('bobs.edge.test', '/x')).text)).toEqual({ tag: 'based', path: '/x' })
    expect((await viaHost('nobody.edge.test', '/x')).status).toBe(404)
    expect((await t.api('POST', '/api/domains', { token: bob.token, body: { hostname: 'x.edge.test' } })).status).toBe(409)
  })

  it('emits a Traefik dynamic configuration for verified domains (admin only)', async () => {
    await verifiedDomain(alice.token, 'traefik.example.net')
    expect((await t.api('GET', '/api/traefik/config', { token: alice.token })).status).toBe(403)
    const res = await t.api('GET', '/api/traefik/config')
    expect(res.status).toBe(200)
    const routers = res.body.http.routers
    expect(routers['edgepad-traefik-example-net']).toMatchObject({ rule: 'Host(`traefik.example.net`)', tls: { certResolver: 'letsencrypt' } })
    expect(routers['edgepad-shop-example-com'].rule).toContain('Host(`blog.shop.example.com`)')
    expect(Object.keys(routers)).not.toContain('edgepad-pending-example-com')
    expect(res.body.http.services.edgepad.loadBalancer.servers[0].url).toMatch(/^http:\/\/127\.0\.0\.1:/)
  })

  it("answers Caddy's on-demand TLS ask only for hosts it serves", async () => {
    expect((await t.api('GET', '/_edgepad/tls-ask?domain=traefik.example.net', { token: null })).status).toBe(200)
    expect((await t.api('GET', '/_edgepad/tls-ask?domain=blog.shop.example.com', { token: null })).status).toBe(200)
    expect((await t.api('GET', '/_edgepad/tls-ask?domain=pending.example.com', { token: null })).status).toBe(404)
    expect((await t.api('GET', '/_edgepad/tls-ask?domain=evil.example.org', { token: null })).status).toBe(404)
    expect((await t.api('GET', '/_edgepad/tls-ask', { token: null })).status).toBe(404)
  })
})
