import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBatchedRun } from './batched-run.ts'
import { Executor } from './executor.ts'
import { prepareFunction } from './prepared-function.ts'

let executor: Executor
beforeAll(async () => {
  executor = await Executor.create({ spareSandboxes: 1 })
})
afterAll(() => executor.close())

const hello = prepareFunction({ id: 'batched', code: `export default async (req) => 'hi ' + req.path`, runtime: 'JAVASCRIPT', handler: 'default', timeoutMs: 5000, memoryMb: 64, envVars: {} })
const request = (path: string) => ({ method: 'GET', url: `http://x${path}`, headers: {}, body: null })

describe('createBatchedRun', () => {
  it('runs the invocations of a turn together, each with its own result and final result', async () => {
    const batches: number[] = []
    const finals: string[] = []
    const run = createBatchedRun(executor, () => batches.push(Date.now()))
    const results = await Promise.all(['/a', '/b', '/c'].map((p) => run.run(hello, request(p), { onFinal: (r) => finals.push(new TextDecoder().decode(r.response.body as Uint8Array)) })))
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok'])
    expect(finals.sort()).toEqual(['hi /a', 'hi /b', 'hi /c'])
    expect(batches).toHaveLength(1)
  })

  it('holds new invocations while paused and runs them on resume', async () => {
    const run = createBatchedRun(executor)
    run.pause()
    let settled = false
    const pending = run.run(hello, request('/held')).then((r) => {
      settled = true
      return r
    })
    await new Promise((r) => setTimeout(r, 50))
    expect(settled).toBe(false)
    run.resume()
    expect((await pending).outcome).toBe('ok')
  })
})
