import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createWebHost } from './web-host.ts'
import { resolveStatic } from './static-files.ts'

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-static-'))
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html>')
fs.mkdirSync(path.join(root, 'assets'))
fs.writeFileSync(path.join(root, 'assets/app.js'), 'export {}')
fs.writeFileSync(path.join(os.tmpdir(), 'edgepad-outside.txt'), 'secret')
afterAll(() => fs.rmSync(root, { recursive: true, force: true }))

const app = createWebHost({
  token: 'right-token',
  staticDir: root,
  call: async (service, method, input) => ({ service, method, input }),
  subscribe: () => () => {},
  allowedHosts: () => ['127.0.0.1:5178'],
})
const req = (url: string, init: RequestInit & { host?: string } = {}) =>
  app.request(url, { ...init, headers: { host: init.host ?? '127.0.0.1:5178', ...(init.headers as Record<string, string>) } })

describe('web host', () => {
  it('serves files inside the root only, with a JavaScript type for modules', () => {
    expect(resolveStatic(root, '/assets/app.js')).toMatchObject({ type: 'text/javascript; charset=utf-8' })
    expect(resolveStatic(root, '/../edgepad-outside.txt')).toBeNull()
    expect(resolveStatic(root, '/%2e%2e/edgepad-outside.txt')).toBeNull()
    expect(resolveStatic(root, '/a%00b')).toBeNull()
  })

  it('serves index.html with the CSP and refuses foreign Host headers (DNS rebinding)', async () => {
    const page = await req('/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect((await req('/', { host: 'evil.example:5178' })).status).toBe(403)
  })

  it('requires the bearer token for RPC and passes parsed JSON through', async () => {
    const body = JSON.stringify({ a: 1 })
    expect((await req('/rpc/functions/list', { method: 'POST', body })).status).toBe(401)
    expect((await req('/rpc/functions/list', { method: 'POST', body, headers: { authorization: 'Bearer wrong-token' } })).status).toBe(401)
    const ok = await req('/rpc/functions/list', { method: 'POST', body, headers: { authorization: 'Bearer right-token' } })
    expect(await ok.json()).toEqual({ result: { service: 'functions', method: 'list', input: { a: 1 } } })
    expect((await req('/events?token=nope')).status).toBe(401)
  })
})
