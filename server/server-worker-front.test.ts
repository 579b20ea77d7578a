import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

/** A module-level id: one per isolate, so it tells which worker answered. */
const WHO = `const me = crypto.randomUUID(); export default async (req) => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: { me, headers: req.headers } })`

interface Who {
  me: string
  headers: Record<string, string>
}
const who = (r: Response) => r.json() as Promise<Who>

/** `n` requests, each on a connection of its own (so each is handed to a worker afresh). */
async function onFreshConnections(url: string, n: number, init: RequestInit = {}): Promise<Response[]> {
  const out: Response[] = []
  for (let i = 0; i < n; i++) out.push(await fetch(url, { ...init, headers: { ...init.headers, connection: 'close' } }))
  return out
}

describe('worker fronts (two workers)', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer({ EDGEPAD_WORKERS: '2' })
  })
  afterAll(() => t?.close())

  const deploy = async (name: string, code: string, extra: Record<string, unknown> = {}) => {
    const res = await t.api('POST', '/api/edge-functions', { body: { name, code, ...extra } })
    expect(res.status, res.text).toBe(201)
    return res.body.id as string
  }

  it('answer function traffic in both workers, and never show a function our forwarding header', async () => {
    const id = await deploy('who', WHO)
    // The server says it listens once one front takes connections; the second may still be starting,
    // and until it is ready the first takes them all. Ask until both have answered (or give up).
    const bodies: Who[] = []
    const seen = new Set<string>()
    for (let round = 0; round < 50 && seen.size < 2; round++) {
      for (const body of await Promise.all((await onFreshConnections(`${t.url}/fn/${id}`, 4, { headers: { 'x-edgepad-forwarded': 'not-our-secret 203.0.113.9' } })).map(who))) {
        bodies.push(body)
        seen.add(body.me)
      }
      if (seen.size < 2) await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(seen.size).toBe(2)
    // A client's own header of that name is the client's: it reaches the function as sent.
    for (const body of bodies) expect(body.headers['x-edgepad-forwarded']).toBe('not-our-secret 203.0.113.9')
  })

  it('forward the API on the same keep-alive connection as function traffic', async () => {
    const id = await deploy('mixed', `export default () => 'fn'`)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const sockets = new Set<unknown>()
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.get(`${t.url}${path}`, { agent, headers }, (res) => {
          sockets.add(res.socket)
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        })
        req.on('error', reject)
      })
    expect(await get(`/fn/${id}`)).toEqual({ status: 200, body: 'fn' })
    const listed = await get('/api/edge-functions', { authorization: `Bearer ${t.adminToken}` })
    expect(listed.status).toBe(200)
    expect(JSON.parse(listed.body).items.some((f: { id: string }) => f.id === id)).toBe(true)
    expect((await get('/healthz')).body).toBe('{"ok":true}')
    expect(await get(`/fn/${id}`)).toEqual({ status: 200, body: 'fn' })
    expect(sockets.size).toBe(1)
    agent.destroy()
  })

  it('answer pipelined requests on one connection in order, the common case on their own HTTP/1.1 path and the rest through node:http', async () => {
    const id = await deploy('echo', `export default async (req) => ({ statusCode: 200, body: req.method + ' ' + req.path + ' ' + (req.body ?? '') })`)
    const head = `Host: 127.0.0.1\r\n`
    const requests = [
      `POST /fn/${id}/sized HTTP/1.1\r\n${head}Content-Length: 5\r\n\r\nhello`,
      `HEAD /fn/${id}/head HTTP/1.1\r\n${head}\r\n`,
      // Chunked: outside the common case, so this request and the rest of the connection go to node:http.
      `POST /fn/${id}/chunked HTTP/1.1\r\n${head}Transfer-Encoding: chunked\r\n\r\n5\r\nworld\r\n0\r\n\r\n`,
      `GET /fn/${id}/after HTTP/1.1\r\n${head}Connection: close\r\n\r\n`,
    ]
    const { hostname, port } = new URL(t.url)
    const text = await new Promise<string>((resolve, reject) => {
      let received = ''
      const socket = net.connect(Number(port), hostname, () => socket.write(requests.join('')))
      socket.on('data', (chunk: Buffer) => (received += chunk.toString()))
      socket.on('close', () => resolve(received))
      socket.on('error', reject)
    })
    const answers = text.split(/(?=HTTP\/1\.1 )/)
    expect(answers.map((a) => a.split('\r\n')[0])).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'])
    expect(answers.map((a) => a.slice(a.indexOf('\r\n\r\n') + 4))).toEqual(['POST /sized hello', '', 'POST /chunked world', 'GET /after '])
    for (const answer of answers) expect(answer).toMatch(/\r\nx-edgepad-invocation-id: [0-9a-f-]{36}\r\n/)
  })

  it('leave rate limits to the host: one count per function across workers', async () => {
    const id = await deploy('limited', `export default () => 'ok'`, { rateLimit: { requests: 3, windowSeconds: 60 } })
    const statuses = (await onFreshConnections(`${t.url}/fn/${id}`, 5)).map((r) => r.status)
    expect(statuses).toEqual([200, 200, 200, 429, 429])
  })

  it('see a new version at once on every connection, whichever worker holds it', async () => {
    const id = await deploy('versioned', `export default () => 'v1'`)
    expect(new Set(await Promise.all((await onFreshConnections(`${t.url}/fn/${id}`, 4)).map((r) => r.text())))).toEqual(new Set(['v1']))
    for (const version of ['v2', 'v3']) {
      const patched = await t.api('PATCH', `/api/edge-functions/${id}`, { body: { code: `export default () => '${version}'` } })
      expect(patched.status, patched.text).toBe(200)
      const seen = await Promise.all((await onFreshConnections(`${t.url}/fn/${id}`, 4)).map((r) => r.text()))
      expect(seen).toEqual([version, version, version, version])
    }
    const disabled = await t.api('PATCH', `/api/edge-functions/${id}`, { body: { status: 'DISABLED' } })
    expect(disabled.status, disabled.text).toBe(200)
    expect((await onFreshConnections(`${t.url}/fn/${id}`, 2)).map((r) => r.status)).toEqual([503, 503])
  })

  it('keep a worker that runs long synchronous code within its deadline (the supervisor knows the deadline)', async () => {
    const id = await deploy('busy', `export default () => { const end = Date.now() + 3000; while (Date.now() < end); return 'done' }`)
    const pids = t.server.runtime.workers.map((w) => w.pid)
    expect(await (await fetch(`${t.url}/fn/${id}`)).text()).toBe('done')
    expect(t.server.runtime.workers.map((w) => w.pid)).toEqual(pids)
  })

  it('log every invocation they serve, with its request and result', async () => {
    const id = await deploy('logged-front', `export default async (req) => { console.log('saw', req.query.n); return { statusCode: 201, body: 'made' } }`)
    await Promise.all(Array.from({ length: 20 }, (_, n) => fetch(`${t.url}/fn/${id}/item?n=${n}`, { method: 'POST', body: `body-${n}` })))
    await t.server.flushInvocationLog()
    const logs = await t.api('GET', `/api/edge-functions/${id}/logs?limit=50`)
    expect(logs.body.items).toHaveLength(20)
    for (const row of logs.body.items) expect(row).toMatchObject({ trigger: 'HTTP', method: 'POST', path: '/item', status: 201, outcome: 'ok' })
    const one = await t.api('GET', `/api/edge-functions/${id}/logs/${logs.body.items[0].id}`)
    expect(one.status, one.text).toBe(200)
    expect(JSON.stringify(one.body)).toMatch(/body-\d+/)
    expect(JSON.stringify(one.body)).toMatch(/saw/)
  })

  it('journal only what the log keeps of a large body, and log its full size', async () => {
    const id = await deploy('large-body', `export default async (req) => String(req.body.length)`)
    const journals = path.join(t.dir, 'log-journal')
    const journaled = () => fs.readdirSync(journals).reduce((sum, name) => sum + fs.statSync(path.join(journals, name)).size, 0)
    const before = journaled()
    const body = 'x'.repeat(900 * 1024)
    expect(await (await fetch(`${t.url}/fn/${id}`, { method: 'POST', body })).text()).toBe(String(body.length))
    await t.server.flushInvocationLog()
    // The prefix the log can use (64 KB and room for a secret straddling it), not the 900 KB.
    expect(journaled() - before).toBeLessThan(400 * 1024)
    const logs = await t.api('GET', `/api/edge-functions/${id}/logs?limit=1`)
    const one = await t.api('GET', `/api/edge-functions/${id}/logs/${logs.body.items[0].id}`)
    expect(one.body.request.body).toMatchObject({ truncated: true, sizeBytes: body.length })
  })
})

describe('EDGEPAD_DIRECT_SERVING=false', () => {
  it('the host answers everything: one worker serves a function, whatever the connection', async () => {
    const t = await startTestServer({ EDGEPAD_WORKERS: '2', EDGEPAD_DIRECT_SERVING: 'false' })
    try {
      const res = await t.api('POST', '/api/edge-functions', { body: { name: 'who', code: WHO } })
      const bodies = await Promise.all((await onFreshConnections(`${t.url}/fn/${res.body.id}`, 6)).map(who))
      expect(new Set(bodies.map((b) => b.me)).size).toBe(1)
    } finally {
      await t.close()
    }
  })
})

describe('graceful close with worker fronts', () => {
  it('finishes a request in flight on a worker and logs it before the store closes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-front-close-'))
    const t = await startTestServer({ EDGEPAD_WORKERS: '2' }, dir)
    const res = await t.api('POST', '/api/edge-functions', { body: { name: 'slow', code: `export default async () => { await new Promise((r) => setTimeout(r, 500)); return 'done' }` } })
    const id = res.body.id as string
    const inflight = fetch(`${t.url}/fn/${id}`).then((r) => r.text())
    await new Promise((r) => setTimeout(r, 150))
    await t.close()
    expect(await inflight).toBe('done')
    // Reopen the same data dir: the row was committed before close() resolved.
    const again = await startTestServer({ EDGEPAD_ADMIN_TOKEN: t.adminToken }, t.dir)
    try {
      const logs = await again.api('GET', `/api/edge-functions/${id}/logs`)
      expect(logs.status, logs.text).toBe(200)
      expect(logs.body.items).toHaveLength(1)
      expect(logs.body.items[0]).toMatchObject({ status: 200, outcome: 'ok' })
    } finally {
      await again.close()
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('log backpressure', () => {
  it('pauses the fronts when packed rows pass the backlog limit, and still serves and logs every invocation', async () => {
    const t = await startTestServer({ EDGEPAD_WORKERS: '2', EDGEPAD_LOG_BACKLOG_MB: '1' })
    try {
      const res = await t.api('POST', '/api/edge-functions', { body: { name: 'big', code: `const big = 'x'.repeat(1_500_000); export default () => big` } })
      const id = res.body.id as string
      const answers = await Promise.all(Array.from({ length: 24 }, () => fetch(`${t.url}/fn/${id}`).then(async (r) => [r.status, (await r.text()).length])))
      expect(answers).toEqual(Array.from({ length: 24 }, () => [200, 1_500_000]))
      // Rows leave a worker after its responses: once they are all in, the host has seen > 1 MB (one row is 1.5 MB).
      await t.server.flushInvocationLog()
      expect(t.server.front!.pauses).toBeGreaterThan(0)
      const logs = await t.api('GET', `/api/edge-functions/${id}/logs?limit=100`)
      expect(logs.body.items).toHaveLength(24)
    } finally {
      await t.close()
    }
  })
})
