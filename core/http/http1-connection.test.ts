import { createServer as createHttpServer, type Server as HttpServer } from 'node:http'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { ServedResponse } from './function-call.ts'
import { serveHttp1, type Http1Options, type Http1Request } from './http1-connection.ts'
import { writeServed } from './node-function-listener.ts'

interface Front {
  port: number
  served: Http1Request[]
  handedOver: number
  errors: unknown[]
  work: Promise<void>[]
  close(): Promise<void>
}

const servers: { close(): Promise<void> }[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

const hello = (text: string): ServedResponse => ({ status: 200, headers: [['content-type', 'text/plain']], body: text })

/**
 * A front as a worker runs it: each connection is ours until `serve` declines a request or the
 * request is out of the common case; node:http then answers `node <method> <url> <body>`.
 */
async function startFront(serve: Http1Options['serve'], options: Partial<Http1Options> = {}): Promise<Front> {
  const node: HttpServer = createHttpServer({ headersTimeout: 300, requestTimeout: 300, connectionsCheckingInterval: 50 }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => res.end(`node ${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`))
  })
  node.emit('listening')
  const front: Front = { port: 0, served: [], handedOver: 0, errors: [], work: [], close: async () => undefined }
  const sockets = new Set<Socket>()
  const net: Server = createServer((socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    serveHttp1(socket, {
      maxBodyBytes: 1024,
      keepAliveTimeoutMs: 5000,
      headersTimeoutMs: 60_000,
      serve: (request) => {
        front.served.push(request)
        return serve(request)
      },
      handOver: (s, unread) => {
        front.handedOver++
        if (unread) s.unshift(unread)
        node.emit('connection', s)
        s.resume()
      },
      track: (work) => void front.work.push(work),
      onError: (error) => front.errors.push(error),
      ...options,
    })
  })
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve))
  front.port = (net.address() as { port: number }).port
  front.close = async () => {
    for (const s of sockets) s.destroy()
    node.closeAllConnections()
    await new Promise((resolve) => net.close(resolve))
  }
  servers.push(front)
  return front
}

/** A raw client: sends each part (pausing between them), and collects what comes back until `done` says so or the server closes. */
function exchange(port: number, parts: string[], done: (text: string) => boolean, pauseMs = 20): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let text = ''
    let closed = false
    const finish = () => {
      socket.destroy()
      resolve({ text, closed })
    }
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1')
      if (done(text)) finish()
    })
    socket.on('end', () => {
      closed = true
      finish()
    })
    socket.on('error', reject)
    void (async () => {
      for (const part of parts) {
        socket.write(part)
        await new Promise((r) => setTimeout(r, pauseMs))
      }
    })()
  })
}

const responses = (text: string) => text.split(/(?=HTTP\/1\.1 )/).filter(Boolean)
const count = (n: number) => (text: string) => responses(text).length >= n && /\r\n\r\n[^]*$/.test(text) && bodiesComplete(text)
/** Every response's Content-Length worth of body has arrived. */
function bodiesComplete(text: string): boolean {
  return responses(text).every((r) => {
    const [head, body = ''] = r.split('\r\n\r\n')
    const length = /content-length: (\d+)/i.exec(head!)
    return !length || body.length >= Number(length[1])
  })
}
const bodyOf = (response: string) => response.slice(response.indexOf('\r\n\r\n') + 4)
const GET = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: example.com\r\n${extra}\r\n`

describe('serveHttp1', () => {
  it('writes the same bytes node:http writes for the same served response (but the Date)', async () => {
    const cases: [string, ServedResponse][] = [
      ['GET', { status: 200, headers: [['content-type', 'text/plain'], ['x-edgepad-invocation-id', 'abc']], body: 'héllo' }],
      ['GET', { status: 404, headers: [['set-cookie', 'a=1'], ['set-cookie', 'b=2']], body: Buffer.from('missing') }],
      ['GET', { status: 204, headers: [['x-a', 'b']], body: null }],
      ['GET', { status: 418, headers: [], body: 'x'.repeat(40_000) }],
      ['GET', { status: 299, headers: [], body: '' }],
      ['GET', { status: 200, headers: [['Date', 'Tue, 01 Dec 2026 00:00:00 GMT']], body: 'dated' }],
      ['HEAD', { status: 200, headers: [['content-type', 'text/plain']], body: null }],
    ]
    for (const [method, served] of cases) {
      const request = `${method} / HTTP/1.1\r\nHost: h\r\n\r\n`
      const ours = await startFront(async () => served)
      const node = createHttpServer((req, res) => writeServed(res, served, req.method === 'HEAD'))
      await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve))
      servers.push({ close: () => new Promise((resolve) => node.close(() => resolve())) })
      const done = (text: string) => text.includes('\r\n\r\n') && bodiesComplete(text)
      const a = await exchange(ours.port, [request], done)
      const b = await exchange((node.address() as { port: number }).port, [request], done)
      const normalize = (text: string) => text.replace(/\r\nDate: [^\r]*/, '\r\nDate: <now>')
      expect(normalize(a.text), `${method} ${served.status}`).toBe(normalize(b.text))
    }
  })

  it('serves requests one after another on a kept-alive connection, and pipelined ones in order', async () => {
    const front = await startFront(async ({ head }) => {
      // The first answer takes longest: order must come from the connection, not from completion.
      await new Promise((r) => setTimeout(r, head.target === '/1' ? 60 : 5))
      return hello(`answer ${head.target}`)
    })
    const { text } = await exchange(front.port, [GET('/1') + GET('/2') + GET('/3'), GET('/4')], count(4))
    expect(responses(text).map(bodyOf)).toEqual(['answer /1', 'answer /2', 'answer /3', 'answer /4'])
    expect(front.handedOver).toBe(0)
  })

  it('gets a head and a body that arrive in pieces, and passes the body as sent', async () => {
    const front = await startFront(async ({ head, body }) => hello(`${head.method} ${body?.toString()}`))
    const request = 'POST /x HTTP/1.1\r\nHost: example.com\r\nContent-Length: 11\r\n\r\nhello world'
    const { text } = await exchange(front.port, [request.slice(0, 10), request.slice(10, 50), request.slice(50, 55), request.slice(55)], count(1))
    expect(bodyOf(text)).toBe('POST hello world')
    expect(front.served[0]!.body?.byteLength).toBe(11)
  })

  it('hands the connection to node:http at a request it does not take, after answering the ones before it', async () => {
    const front = await startFront(async ({ head }) => (head.target === '/node' ? null : hello(`fast ${head.target}`)))
    const chunked = 'POST /chunked HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'
    const first = await exchange(front.port, [GET('/a') + chunked + GET('/b')], count(3))
    expect(responses(first.text).map(bodyOf)).toEqual(['fast /a', 'node POST /chunked abc', 'node GET /b '])
    // Declined by `serve` (not function traffic): node:http gets that request from its first byte, body included.
    const declined = 'POST /node HTTP/1.1\r\nHost: example.com\r\nContent-Length: 4\r\n\r\nbody'
    const second = await exchange(front.port, [GET('/c') + declined + GET('/d')], count(3))
    expect(responses(second.text).map(bodyOf)).toEqual(['fast /c', 'node POST /node body', 'node GET /d '])
    expect(front.handedOver).toBe(2)
  })

  it('leaves a body over the limit to node:http without reading it itself', async () => {
    const front = await startFront(async () => hello('fast'))
    const big = 'y'.repeat(2000)
    const { text } = await exchange(front.port, [`POST /big HTTP/1.1\r\nHost: example.com\r\nContent-Length: ${big.length}\r\n\r\n${big}`], count(1))
    expect(bodyOf(text)).toBe(`node POST /big ${big}`)
    expect(front.served).toHaveLength(0)
  })

  it('closes after answering a request that asked for Connection: close', async () => {
    const front = await startFront(async () => hello('bye'))
    const { text, closed } = await exchange(front.port, [GET('/', 'Connection: close\r\n') + GET('/never')], () => false)
    expect(responses(text)).toHaveLength(1)
    expect(text).toContain('\r\nConnection: close\r\n')
    expect(closed).toBe(true)
    expect(front.served).toHaveLength(1)
  })

  it('closes an idle kept-alive connection after the keep-alive timeout, but not while a function runs', async () => {
    const front = await startFront(
      async () => {
        await new Promise((r) => setTimeout(r, 250))
        return hello('slow')
      },
      { keepAliveTimeoutMs: 100 },
    )
    const started = Date.now()
    const { text, closed } = await exchange(front.port, [GET('/')], () => false)
    expect(bodyOf(text)).toBe('slow')
    expect(closed).toBe(true)
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
  })

  it('hands a request that stalls part-way to node:http, which times it out', async () => {
    const front = await startFront(async () => hello('never'), { keepAliveTimeoutMs: 100 })
    const { text, closed } = await exchange(front.port, ['GET / HTTP/1.1\r\nHost: exa'], () => false)
    expect(front.handedOver).toBe(1)
    expect(text).toMatch(/^HTTP\/1\.1 408 /)
    expect(closed).toBe(true)
  })

  it('drops the connection and reports the error when serving fails unexpectedly', async () => {
    const front = await startFront(async () => {
      throw new Error('boom')
    })
    const { text, closed } = await exchange(front.port, [GET('/')], () => false)
    expect(text).toBe('')
    expect(closed).toBe(true)
    expect(front.errors).toEqual([new Error('boom')])
  })

  it('tracks each request until its response is written', async () => {
    let release!: () => void
    const front = await startFront(() => new Promise((resolve) => (release = () => resolve(hello('late')))))
    const answered = exchange(front.port, [GET('/')], count(1))
    while (front.work.length === 0) await new Promise((r) => setTimeout(r, 5))
    let settled = false
    void front.work[0]!.then(() => (settled = true))
    await new Promise((r) => setTimeout(r, 30))
    expect(settled).toBe(false)
    release()
    expect(bodyOf((await answered).text)).toBe('late')
    expect(settled).toBe(true)
  })
})
