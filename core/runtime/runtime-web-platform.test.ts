import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime({ egress: { allowPrivateNetworks: true } })
let server: Server
let origin = ''
const hits: string[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '')
    if (req.url === '/slow') return void setTimeout(() => res.end('slow'), 2000)
    res.setHeader('content-type', 'application/octet-stream')
    res.setHeader('x-upstream', 'yes')
    res.end(Buffer.from([0, 1, 2, 255]))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('Web platform globals', () => {
  it('passes a fetched body straight through: new Response(upstream.body, upstream)', async () => {
    const result = await rt.run(`export default { async fetch(request, env) {
      const upstream = await fetch(env.ORIGIN + '/bin')
      return new Response(upstream.body, upstream)
    } }`, {}, { envVars: { ORIGIN: origin } })
    expect(result.outcome).toBe('ok')
    expect([...result.response.body]).toEqual([0, 1, 2, 255])
    expect(result.response.headers['x-upstream']).toBe('yes')
  })

  it('aborting a fetch rejects it with the signal reason and cancels the host operation', async () => {
    const result = await rt.run(`export default { async fetch(request, env) {
      const controller = new AbortController()
      const started = Date.now()
      setTimeout(() => controller.abort(), 50)
      const first = await fetch(env.ORIGIN + '/slow', { signal: controller.signal }).then(() => 'resolved', (e) => e.name)
      const timeout = await fetch(env.ORIGIN + '/slow', { signal: AbortSignal.timeout(50) }).then(() => 'resolved', (e) => e.name)
      const pre = await fetch(env.ORIGIN + '/slow', { signal: AbortSignal.abort('why') }).catch((e) => e)
      return Response.json({ first, timeout, pre, fast: Date.now() - started < 1500 })
    } }`, {}, { envVars: { ORIGIN: origin } })
    expect(json(result)).toEqual({ first: 'AbortError', timeout: 'TimeoutError', pre: 'why', fast: true })
  })

  it('EventTarget, Event, CustomEvent and AbortSignal.any work', async () => {
    const result = await rt.run(`export default { fetch() {
      const target = new EventTarget()
      const seen = []
      target.addEventListener('ping', (e) => seen.push(e.type + ':' + e.detail), { once: true })
      target.dispatchEvent(new CustomEvent('ping', { detail: 1 }))
      target.dispatchEvent(new CustomEvent('ping', { detail: 2 }))
      const event = new Event('x', { cancelable: true })
      target.addEventListener('x', (e) => e.preventDefault())
      const notCanceled = target.dispatchEvent(event)
      const a = new AbortController()
      const any = AbortSignal.any([a.signal, new AbortController().signal])
      a.abort('stop')
      return Response.json({ seen, notCanceled, defaultPrevented: event.defaultPrevented, any: [any.aborted, any.reason], isTarget: a.signal instanceof EventTarget })
    } }`)
    expect(json(result)).toEqual({ seen: ['ping:1'], notCanceled: false, defaultPrevented: true, any: [true, 'stop'], isTarget: true })
  })

  it('URLPattern matches and extracts groups', async () => {
    const result = await rt.run(`export default { fetch(request) {
      const books = new URLPattern({ pathname: '/books/:id' })
      const files = new URLPattern({ pathname: '/files/*' })
      const opt = new URLPattern({ pathname: '/items/:id(\\\\d+)/:tab?' })
      const host = new URLPattern('https://:sub.example.com/*')
      return Response.json({
        book: books.exec('https://x.test/books/42?q=1').pathname.groups,
        miss: books.test('https://x.test/books/42/extra'),
        file: files.exec('https://x.test/files/a/b.txt').pathname.groups,
        opt: [opt.exec('https://x.test/items/7').pathname.groups, opt.test('https://x.test/items/x')],
        host: host.exec('https://api.example.com/v1').hostname.groups,
        fromRequest: books.test(request.url),
      })
    } }`, { path: '/books/9' })
    expect(json(result)).toEqual({
      book: { id: '42' }, miss: false, file: { 0: 'a/b.txt' }, opt: [{ id: '7' }, false], host: { sub: 'api' }, fromRequest: true,
    })
  })

  it('ctx.waitUntil keeps work running after the response, and passThroughOnException is accepted', async () => {
    const started = Date.now()
    const result = await rt.run(`export default { fetch(request, env, ctx) {
      ctx.passThroughOnException()
      ctx.waitUntil(new Promise((r) => setTimeout(r, 300)).then(() => fetch(env.ORIGIN + '/after')))
      return new Response('early')
    } }`, {}, { envVars: { ORIGIN: origin } })
    expect(text(result)).toBe('early')
    expect(Date.now() - started).toBeLessThan(290)
    expect(hits).not.toContain('/after')
    await expect.poll(() => hits.includes('/after'), { timeout: 3000 }).toBe(true)
  })

  it('missing platform APIs fail with an error that names them', async () => {
    const result = await rt.run(`export default { fetch() { return new Response(Buffer.from('x')) } }`)
    expect(result.outcome).toBe('runtime_error')
    expect(result.error?.message).toMatch(/Buffer is not defined.*not available in Edgepad functions/)
    const types = await rt.run(`export default () => ({ statusCode: 200, body: [typeof process, typeof require, typeof caches, typeof HTMLRewriter, typeof ReadableStream, typeof crypto.subtle, typeof structuredClone] })`)
    expect(json(types)).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'function', 'object', 'function'])
  })
})
