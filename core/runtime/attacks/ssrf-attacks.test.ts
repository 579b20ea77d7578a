import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json } from '../runtime.test-helper.ts'
import { useAttackRuntime } from './attack.test-helper.ts'

// Server mode: the default egress policy.
const { attack } = useAttackRuntime()
let server: Server
let port = 0
let hits = 0

beforeAll(async () => {
  server = createServer((_, res) => {
    hits++
    res.end('internal secret')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as { port: number }).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('fetch from a function on the server', () => {
  it('reaching loopback, private or metadata addresses rejects inside the function with a TypeError saying why', async () => {
    const targets = [`http://127.0.0.1:${port}/`, `http://0x7f000001:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`, `http://localhost:${port}/`, 'http://169.254.169.254/latest/meta-data/']
    const result = await attack(
      `export default async () => {
        const out = []
        for (const url of ${JSON.stringify(targets)}) {
          try { await fetch(url); out.push('ALLOWED') } catch (e) { out.push(e.constructor.name + ': ' + e.message) }
        }
        return { statusCode: 200, body: out }
      }`,
      'ok',
    )
    const out = json(result) as string[]
    for (const line of out) expect(line).toMatch(/^TypeError: fetch failed: (refused to connect|.*resolves to)/)
    expect(out[4]).toMatch(/link-local/)
    expect(hits).toBe(0)
  })

  it('caps the number of subrequests per invocation', async () => {
    const result = await attack(
      `export default async () => { let last = ''; for (let i = 0; i < 60; i++) { try { await fetch('http://10.0.0.1/') } catch (e) { last = e.message } } return last }`,
      'ok',
    )
    expect(new TextDecoder().decode(result.response.body)).toMatch(/too many subrequests \(limit 50 per invocation\)/)
  })
})
