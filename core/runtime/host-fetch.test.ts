import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WireFetchRequest } from './guest/wire.ts'
import { DEFAULT_FETCH_LIMITS, HostFetcher } from './host-fetch.ts'

// What the guest's fetch gets from the host on a real loopback upstream: decoded bodies, Web-style
// header lists, the default request headers, empty bodies where HTTP has none, reused connections.

const text = 'hello from upstream, '.repeat(200)
const routes: Record<string, (res: ServerResponse, headers: IncomingHttpHeaders) => void> = {
  '/gzip': (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(text)),
  '/deflate': (res) => res.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(text)),
  '/br': (res) => res.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(text)),
  '/zstd': (res) => res.writeHead(200, { 'content-encoding': 'zstd' }).end(zlib.zstdCompressSync(text)),
  // Applied gzip first, then br: decoded br first.
  '/layered': (res) => res.writeHead(200, { 'content-encoding': 'gzip, BR' }).end(zlib.brotliCompressSync(zlib.gzipSync(text))),
  '/unknown': (res) => res.writeHead(200, { 'content-encoding': 'x-custom' }).end('raw bytes'),
  '/partly-unknown': (res) => res.writeHead(200, { 'content-encoding': 'gzip, x-custom' }).end(zlib.gzipSync('kept as sent')),
  '/too-many': (res) => res.writeHead(200, { 'content-encoding': 'gzip,gzip,gzip,gzip,gzip,gzip' }).end('x'),
  '/bomb': (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(zlib.gzipSync(Buffer.alloc(2 * 1024 * 1024))),
  '/corrupt': (res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end('not gzip at all'),
  '/headers': (res) => {
    res.statusMessage = 'Quite OK'
    res.setHeader('x-b', ['1', '2'])
    res.setHeader('set-cookie', ['a=1', 'b=2'])
    res.setHeader('X-A', 'first')
    res.end('h')
  },
  '/no-content': (res) => res.writeHead(204).end(),
  '/echo-headers': (res, headers) => res.end(JSON.stringify(headers)),
  '/head': (res) => res.writeHead(200, { 'content-length': '5' }).end('hello'),
}

let server: Server
let origin = ''
let connections = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes[req.url ?? '']
    if (route) route(res, req.headers)
    else res.writeHead(404).end()
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const fetcher = () => new HostFetcher({ allowPrivateNetworks: true }, { ...DEFAULT_FETCH_LIMITS, maxResponseBytes: 1024 * 1024 })
const request = (path: string, extra: Partial<WireFetchRequest> = {}): WireFetchRequest => ({ url: origin + path, method: 'GET', headers: [], body: null, redirect: 'follow', ...extra })
const signal = () => new AbortController().signal
const decode = (body: Uint8Array) => new TextDecoder().decode(body)

describe('the host side of fetch', () => {
  it('undoes every content coding undici fetch did, and keeps the header', async () => {
    const f = fetcher()
    for (const path of ['/gzip', '/deflate', '/br', '/zstd', '/layered']) {
      const response = await f.fetch(request(path), signal())
      expect(decode(response.body), path).toBe(text)
      expect(response.headers.find(([name]) => name === 'content-encoding'), path).toBeDefined()
    }
    expect(decode((await f.fetch(request('/unknown'), signal())).body)).toBe('raw bytes')
    expect(zlib.gunzipSync((await f.fetch(request('/partly-unknown'), signal())).body).toString()).toBe('kept as sent')
    await f.close()
  })

  it('refuses bodies that decode past the limit, corrupt codings and coding chains', async () => {
    const f = fetcher()
    await expect(f.fetch(request('/bomb'), signal())).rejects.toThrow(/larger than 1048576 bytes/)
    await expect(f.fetch(request('/corrupt'), signal())).rejects.toThrow()
    await expect(f.fetch(request('/too-many'), signal())).rejects.toThrow(/too many content-encodings/)
    // The connection pool survives all three.
    expect(decode((await f.fetch(request('/gzip'), signal())).body)).toBe(text)
    await f.close()
  })

  it('lists response headers as Web Headers do, with the status text', async () => {
    const f = fetcher()
    const response = await f.fetch(request('/headers'), signal())
    expect(response.status).toBe(200)
    expect(response.statusText).toBe('Quite OK')
    const names = response.headers.map(([name]) => name)
    expect(names.filter((n) => n !== 'set-cookie')).toEqual([...names.filter((n) => n !== 'set-cookie')].sort())
    expect(response.headers).toContainEqual(['x-a', 'first'])
    expect(response.headers).toContainEqual(['x-b', '1, 2'])
    expect(response.headers.slice(-2)).toEqual([
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
    await f.close()
  })

  it('sends the default request headers unless the function set its own', async () => {
    const f = fetcher()
    const sent = JSON.parse(decode((await f.fetch(request('/echo-headers'), signal())).body)) as IncomingHttpHeaders
    expect(sent).toMatchObject({ accept: '*/*', 'accept-language': '*', 'sec-fetch-mode': 'cors', 'user-agent': 'undici', 'accept-encoding': 'gzip, deflate' })
    const own = JSON.parse(decode((await f.fetch(request('/echo-headers', { headers: [['Accept', 'text/plain'], ['user-agent', 'mine'], ['range', 'bytes=0-1']] }), signal())).body)) as IncomingHttpHeaders
    expect(own).toMatchObject({ accept: 'text/plain', 'user-agent': 'mine', 'accept-encoding': 'identity' })
    await f.close()
  })

  it('gives HEAD and 204 responses an empty body', async () => {
    const f = fetcher()
    const head = await f.fetch(request('/head', { method: 'HEAD' }), signal())
    expect([head.status, head.body.byteLength]).toEqual([200, 0])
    const none = await f.fetch(request('/no-content'), signal())
    expect([none.status, none.body.byteLength]).toEqual([204, 0])
    await f.close()
  })

  it('keeps connections alive across decoded subrequests: not one per subrequest', async () => {
    const f = fetcher()
    const before = connections
    for (const path of ['/gzip', '/br', '/layered', '/zstd', '/deflate', '/gzip']) await f.fetch(request(path), signal())
    // One, but undici may open a second when a request goes out the moment the last one ended.
    expect(connections - before).toBeLessThan(3)
    await f.close()
  })
})
