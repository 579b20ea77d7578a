import { createServer, type IncomingMessage, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json } from '../runtime.test-helper.ts'
import { useAttackRuntime } from './attack.test-helper.ts'

// Desktop mode, so the loopback test servers are reachable; the limits are the same as on a server.
const { attack } = useAttackRuntime({ egress: { allowPrivateNetworks: true } })

let server: Server
let origin = ''
let active = 0
let maxActive = 0
const hanging: IncomingMessage[] = []
let closedHanging = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hang') {
      hanging.push(req)
      req.socket.once('close', () => closedHanging++)
      return
    }
    active++
    maxActive = Math.max(maxActive, active)
    setTimeout(() => {
      active--
      res.end('slow')
    }, 100)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('subrequest limits', () => {
  it('runs at most 6 subrequests of one invocation at once', async () => {
    const result = await attack(`export default async () => ({ statusCode: 200, body: (await Promise.all(Array.from({ length: 20 }, () => fetch('${origin}/slow').then((r) => r.text())))).length })`, 'ok', { timeoutMs: 5000 })
    expect(json(result)).toBe(20)
    expect(maxActive).toBe(6)
  })

  it('aborts every pending subrequest when the invocation ends', async () => {
    const before = closedHanging
    await attack(`export default async () => { for (let i = 0; i < 3; i++) fetch('${origin}/hang').catch(() => {}); await new Promise(() => {}) }`, 'timeout', { timeoutMs: 1000 })
    for (let i = 0; i < 100 && closedHanging - before < 3; i++) await new Promise((r) => setTimeout(r, 20))
    expect(closedHanging - before).toBe(3)
  })

  it('aborts pending subrequests when the invocation returns without awaiting them', async () => {
    const before = closedHanging
    // The timer gives the request time to reach the server before the handler returns.
    await attack(`export default async () => { fetch('${origin}/hang').catch(() => {}); await new Promise((r) => setTimeout(r, 200)); return 'returned' }`, 'ok')
    for (let i = 0; i < 100 && closedHanging - before < 1; i++) await new Promise((r) => setTimeout(r, 20))
    expect(closedHanging - before).toBe(1)
  })
})
