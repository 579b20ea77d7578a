import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_HTTP_SETTINGS } from '../../common/model/http-settings.ts'
import { prepareFunction } from '../runtime/prepared-function.ts'
import { discardingLog } from './invoke-function.ts'
import { createNodeFunctionListener } from './node-function-listener.ts'
import { buildRouteTable } from './route-table.ts'
import type { ServedFunction } from './served-functions.ts'

const fn: ServedFunction = {
  id: 'body-fn',
  owner: 'owner',
  status: 'ACTIVE',
  version: 1,
  spec: prepareFunction({ id: 'body-fn', code: 'export default (req) => req.body' }),
  settings: DEFAULT_HTTP_SETTINGS,
}

let server: Server | null = null
afterEach(() => {
  server?.close()
  server = null
})

describe('function traffic straight from node:http', () => {
  it('settles a request whose client left while its function was being looked up, without running it', async () => {
    let release!: () => void
    const lookedUp = new Promise<void>((resolve) => (release = resolve))
    const runs: string[] = []
    const listener = createNodeFunctionListener(
      {
        routing: { current: async () => ({ table: buildRouteTable([]) }) },
        // The host is slow to answer (as a worker front's lookup can be): the client gives up meanwhile.
        served: { get: async () => (await lookedUp, fn) },
        serve: {
          runtime: {
            run: async () => {
              runs.push('ran')
              throw new Error('a request without its body must not run')
            },
          },
          invocations: discardingLog,
          now: Date.now,
          onLogError: () => undefined,
          limiter: {
            hit: () => {
              throw new Error('not rate-limited')
            },
            close: () => undefined,
          },
          maxBodyBytes: 1024 * 1024,
          trustProxy: false,
        },
      },
      () => undefined,
    )
    const settled: Promise<boolean>[] = []
    const closed = new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        settled.push(listener(req, res))
        req.socket.once('close', () => resolve())
      })
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const body = 'x'.repeat(5000)
    const client = connect((server!.address() as AddressInfo).port, '127.0.0.1')
    client.write(`POST /fn/body-fn HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\n\r\n${body}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
    client.destroy()
    await closed
    release()
    // Before the fix this never settled: the worker's shutdown then waited out its whole drain deadline.
    const outcome = await Promise.race([settled[0]!, new Promise<string>((resolve) => setTimeout(() => resolve('still pending'), 2000))])
    expect(outcome).toBe(true)
    expect(runs).toEqual([])
  })
})
