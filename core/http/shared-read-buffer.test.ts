import { once } from 'node:events'
import { createServer as createHttpServer } from 'node:http'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { withSharedReadBuffer } from './shared-read-buffer.ts'

const servers: Server[] = []
const sockets: Socket[] = []

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy()
  for (const server of servers.splice(0)) server.close()
})

/** A loopback connection whose server side is accepted paused (as the host accepts them), and its client. */
async function connection(): Promise<{ accepted: Socket; client: Socket }> {
  const server = createServer({ pauseOnConnect: true })
  servers.push(server)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  const client = connect(port, '127.0.0.1')
  const [accepted] = (await once(server, 'connection')) as [Socket]
  sockets.push(client, accepted)
  return { accepted, client }
}

function nextData(socket: Socket): Promise<Buffer> {
  return once(socket, 'data').then(([chunk]) => chunk as Buffer)
}

describe('withSharedReadBuffer', () => {
  it('delivers each read as its own copy: a later read does not change an earlier chunk', async () => {
    const { accepted, client } = await connection()
    const socket = withSharedReadBuffer(accepted)
    sockets.push(socket)
    expect(socket).not.toBe(accepted)
    socket.resume()
    client.write('first read')
    const first = await nextData(socket)
    client.write('SECOND')
    const second = await nextData(socket)
    expect(first.toString()).toBe('first read')
    expect(second.toString()).toBe('SECOND')
    expect(socket.remoteAddress).toBe('127.0.0.1')
  })

  it('writes, pauses reading and resumes it like the socket it replaced', async () => {
    const { accepted, client } = await connection()
    const socket = withSharedReadBuffer(accepted)
    sockets.push(socket)
    socket.resume()
    client.write('ping')
    expect((await nextData(socket)).toString()).toBe('ping')
    socket.write('pong')
    expect((await nextData(client)).toString()).toBe('pong')

    socket.pause()
    const seen: string[] = []
    socket.on('data', (chunk: Buffer) => seen.push(chunk.toString()))
    client.write('held')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(seen).toEqual([])
    socket.resume()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(seen.join('')).toBe('held')
  })

  it('can be handed to node:http part-way through a request, with the bytes read so far put back', async () => {
    const { accepted, client } = await connection()
    const socket = withSharedReadBuffer(accepted)
    sockets.push(socket)
    const http = createHttpServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (part: string) => (body += part))
      req.on('end', () => res.end(`${req.method} ${req.url} ${body}`))
    })
    socket.resume()
    // A chunked request (our own path hands those over), its head read by us first.
    client.write('POST /one HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n')
    const head = await nextData(socket)
    socket.pause()
    socket.unshift(head)
    http.emit('connection', socket)
    socket.resume()
    // The rest arrives after the hand-over, then a second request on the same connection.
    client.write('5\r\nhello\r\n0\r\n\r\n')
    let answers = ''
    client.on('data', (chunk: Buffer) => (answers += chunk.toString()))
    await new Promise((resolve) => setTimeout(resolve, 100))
    client.write('GET /two HTTP/1.1\r\nHost: x\r\n\r\n')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(answers).toContain('POST /one hello')
    expect(answers).toContain('GET /two ')
    expect(answers.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2)
  })

  it("closes as the original too, for whoever watched the original's end", async () => {
    const { accepted, client } = await connection()
    const socket = withSharedReadBuffer(accepted)
    socket.resume()
    const originalClosed = once(accepted, 'close')
    client.end()
    await originalClosed
    expect(socket.destroyed).toBe(true)
  })

  it('leaves a socket that has already read bytes as it is', async () => {
    const { accepted, client } = await connection()
    accepted.resume()
    client.write('early')
    await nextData(accepted)
    expect(withSharedReadBuffer(accepted)).toBe(accepted)
  })
})
