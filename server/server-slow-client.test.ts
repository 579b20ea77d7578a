import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await startTestServer({ EDGEPAD_REQUEST_TIMEOUT_MS: '1000' })
})
afterAll(() => t?.close())

/** Sends `data` and never finishes the request; resolves with whatever the server answers before it closes the socket. */
function stall(data: string): Promise<string> {
  const { port } = new URL(t.url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(data))
    let received = ''
    socket.on('data', (chunk) => (received += chunk.toString()))
    socket.on('close', () => resolve(received))
    socket.on('error', reject)
  })
}

describe('slow clients', () => {
  it('times out a client that never finishes its headers or its body, and keeps serving others', async () => {
    const fn = await t.api('POST', '/api/edge-functions', { body: { name: 'sink', code: 'export default (req) => String(req.body)' } })
    const [headers, body] = await Promise.all([
      stall('GET /healthz HTTP/1.1\r\nHost: a\r\n'),
      stall(`POST /fn/${fn.body.id} HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc`),
    ])
    expect(headers).toMatch(/^HTTP\/1\.1 408/)
    expect(body).toMatch(/^HTTP\/1\.1 408/)
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200)
  })
})
