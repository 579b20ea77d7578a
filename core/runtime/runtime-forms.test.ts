import { describe, expect, it } from 'vitest'
import { json, text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime()

describe('seed form', () => {
  it('passes { method, url, path, query, headers, body } and returns { statusCode, headers, body }', async () => {
    const result = await rt.run(
      `export default async function handler(request) {
        return { statusCode: 201, headers: { 'x-seen': request.headers['x-token'] }, body: {
          method: request.method, url: request.url, path: request.path, query: request.query, body: request.body } }
      }`,
      { method: 'post', path: '/users', query: { id: '7', tag: ['a', 'b'] }, headers: { 'X-Token': 'abc', host: 'api.example.com' }, body: '{"name":"ada"}' },
    )
    expect(result.outcome).toBe('ok')
    expect(result.response.statusCode).toBe(201)
    expect(result.response.headers['x-seen']).toBe('abc')
    expect(result.response.headers['content-type']).toBe('application/json')
    expect(json(result)).toEqual({
      method: 'POST',
      url: 'http://api.example.com/users?id=7&tag=a&tag=b',
      path: '/users',
      query: { id: '7', tag: ['a', 'b'] },
      body: '{"name":"ada"}',
    })
  })

  it('gets a byte body as text decoded like TextDecoder: BOM stripped, bad bytes replaced, long ASCII runs intact', async () => {
    const ascii = 'x'.repeat(20_000)
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(`h${ascii}é`), 0xff, 0x41])
    const code = `export default async (request) => ({ statusCode: 200, body: {
      seed: request.body, decoded: new TextDecoder().decode(new Uint8Array(${JSON.stringify([...bytes])})) } })`
    const body = json(await rt.run(code, { method: 'POST', body: bytes })) as { seed: string; decoded: string }
    expect(body.seed).toBe(`h${ascii}é\uFFFDA`)
    // The host decodes seed bodies natively; the guest's own decoder must agree with it.
    expect(body.decoded).toBe(body.seed)
  })

  it('a string return is a 200 text/plain response', async () => {
    const result = await rt.run(`export default async function handler() { return 'hello' }`)
    expect(result.outcome).toBe('ok')
    expect(result.response.statusCode).toBe(200)
    expect(result.response.headers['content-type']).toBe('text/plain;charset=UTF-8')
    expect(text(result)).toBe('hello')
  })

  it('calls a named export when the handler field names it', async () => {
    const code = `export async function handler() { return 'named' }\nexport default function () { return 'default' }`
    expect(text(await rt.run(code, {}, { handler: 'handler' }))).toBe('named')
    expect(text(await rt.run(code))).toBe('default')
  })

  it('body may be bytes, an ArrayBuffer or a JSON value; an explicit content type is kept', async () => {
    const bytes = await rt.run(`export default () => ({ statusCode: 200, body: new Uint8Array([0, 255, 1]) })`)
    expect([...bytes.response.body]).toEqual([0, 255, 1])
    const buffer = await rt.run(`export default () => ({ statusCode: 200, body: new Uint16Array([258]).buffer })`)
    expect([...buffer.response.body]).toEqual([2, 1])
    const typed = await rt.run(`export default () => ({ statusCode: 200, headers: { 'content-type': 'application/vnd.x+json' }, body: [1, { a: null }] })`)
    expect(typed.response.headers['content-type']).toBe('application/vnd.x+json')
    expect(json(typed)).toEqual([1, { a: null }])
    const empty = await rt.run(`export default () => ({ statusCode: 204 })`)
    expect(empty.response.statusCode).toBe(204)
    expect(empty.response.body.byteLength).toBe(0)
  })

  it('binary request bodies reach the function intact', async () => {
    const result = await rt.run(
      `export default async (req) => ({ statusCode: 200, body: new Uint8Array(await req.arrayBuffer()).reverse() })`,
      { method: 'PUT', body: new Uint8Array([1, 2, 3, 250]) },
    )
    expect([...result.response.body]).toEqual([250, 3, 2, 1])
  })

  it('repeated set-cookie headers survive as separate values', async () => {
    const result = await rt.run(`export default () => ({ statusCode: 200, headers: { 'set-cookie': ['a=1', 'b=2'] }, body: '' })`)
    expect(result.response.headers['set-cookie']).toEqual(['a=1', 'b=2'])
  })
})

describe('Web form', () => {
  it('runs a Workers-style export default { fetch(request, env, ctx) } unchanged', async () => {
    const code = `
      export default {
        async fetch(request, env, ctx) {
          const url = new URL(request.url)
          const input = await request.json()
          ctx.waitUntil(Promise.resolve())
          return Response.json({ hello: url.searchParams.get('name'), n: input.n * 2, secret: env.SECRET, ua: request.headers.get('user-agent') },
            { status: 202, headers: { 'x-powered-by': 'edgepad' } })
        },
      }`
    const result = await rt.run(
      code,
      { method: 'POST', url: 'https://fn.example.com/greet?name=ada', headers: { 'user-agent': 'test' }, body: '{"n":21}' },
      { envVars: { SECRET: 's3' } },
    )
    expect(result.outcome).toBe('ok')
    expect(result.response.statusCode).toBe(202)
    expect(result.response.headers['x-powered-by']).toBe('edgepad')
    expect(result.response.headers['content-type']).toBe('application/json')
    expect(json(result)).toEqual({ hello: 'ada', n: 42, secret: 's3', ua: 'test' })
  })

  it('runs export default (req) => Response with Headers, status and statusText', async () => {
    const result = await rt.run(`
      export default async (req) => {
        const headers = new Headers({ 'Content-Type': 'text/html' })
        headers.append('Set-Cookie', 'a=1')
        headers.append('Set-Cookie', 'b=2')
        return new Response('<h1>' + req.method + '</h1>', { status: 418, statusText: 'Teapot', headers })
      }`)
    expect(result.response.statusCode).toBe(418)
    expect(result.response.headers['content-type']).toBe('text/html')
    expect(result.response.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    expect(text(result)).toBe('<h1>GET</h1>')
  })

  it('Response.redirect sets the location', async () => {
    const result = await rt.run(`export default { fetch: () => Response.redirect('https://example.com/next', 301) }`)
    expect(result.response.statusCode).toBe(301)
    expect(result.response.headers.location).toBe('https://example.com/next')
  })
})
