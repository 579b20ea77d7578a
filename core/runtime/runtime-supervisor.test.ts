import { describe, expect, it } from 'vitest'
import { json, text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime({ graceMs: 1000 })

const slow = (ms: number) => `export default async () => { await new Promise((r) => setTimeout(r, ${ms})); return 'slow done' }`
const hello = `export default () => 'hello'`

/** Waits until the worker that serves `id` is a different process than `pid`. */
async function replacedAfter(id: string, pid: number | undefined): Promise<void> {
  for (let i = 0; i < 200 && rt.runtime.workerFor(id).pid === pid; i++) await new Promise((r) => setTimeout(r, 25))
}

describe('supervisor', () => {
  it('a worker killed mid-invocation: that call is internal_error, the next one succeeds', async () => {
    const id = 'crash-target'
    await rt.run(hello, {}, { id })
    const worker = rt.runtime.workerFor(id)
    const pid = worker.pid
    const inflight = rt.run(slow(2000), {}, { id })
    await new Promise((r) => setTimeout(r, 100))
    worker.kill('SIGKILL')
    const result = await inflight
    expect(result.outcome).toBe('internal_error')
    expect(result.response.statusCode).toBe(503)
    expect(result.error?.message).toMatch(/worker stopped/)
    await replacedAfter(id, pid)
    const next = await rt.run(hello, {}, { id })
    expect(next.outcome).toBe('ok')
    expect(text(next)).toBe('hello')
    expect(worker.pid).not.toBe(pid)
  })

  it('a wedged worker (stopped, no heartbeat) is killed after deadline + grace and replaced', async () => {
    const id = 'wedge-target'
    await rt.run(hello, {}, { id })
    const worker = rt.runtime.workerFor(id)
    const pid = worker.pid!
    const inflight = rt.run(slow(5000), {}, { id, timeoutMs: 1000 })
    await new Promise((r) => setTimeout(r, 100))
    process.kill(pid, 'SIGSTOP')
    const result = await inflight
    expect(result.outcome).toBe('timeout')
    await replacedAfter(id, pid)
    expect(worker.pid).not.toBe(pid)
    expect((await rt.run(hello, {}, { id })).outcome).toBe('ok')
  })

  it('a worker is not taken for wedged when it was the supervisor that stopped reading (its own thread held)', async () => {
    const id = 'held-host'
    await rt.run(hello, {}, { id })
    const worker = rt.runtime.workerFor(id)
    const pid = worker.pid
    // Longer than the grace: the worker kept beating, but nobody here read the beats.
    const until = Date.now() + 1500
    while (Date.now() < until) {
      // hold this thread
    }
    await new Promise((r) => setTimeout(r, 600))
    expect(worker.pid).toBe(pid)
    expect((await rt.run(hello, {}, { id })).outcome).toBe('ok')
    expect(worker.pid).toBe(pid)
  })

  it('runs invocations of different functions concurrently, each with its own result', async () => {
    const code = `export default async (req) => { await new Promise((r) => setTimeout(r, 100)); return { statusCode: 200, body: { me: env.NAME, path: req.path } } }`
    const started = Date.now()
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => rt.run(code, { path: `/p${i}` }, { id: `concurrent-${i}`, envVars: { NAME: `fn${i}` } })),
    )
    results.forEach((result, i) => expect(json(result)).toEqual({ me: `fn${i}`, path: `/p${i}` }))
    // Twelve 100 ms waits in parallel, not in series.
    expect(Date.now() - started).toBeLessThan(1200 + 2000)
  })

  it('keeps a version warm: module state persists between its invocations, not across functions or versions', async () => {
    const counter = (tag: string) => `let n = 0\nexport default () => '${tag}:' + (++n)`
    expect(text(await rt.run(counter('a'), {}, { id: 'warm-a' }))).toBe('a:1')
    expect(text(await rt.run(counter('a'), {}, { id: 'warm-a' }))).toBe('a:2')
    expect(text(await rt.run(counter('a'), {}, { id: 'warm-b' }))).toBe('a:1')
    // A new version of warm-a starts from fresh module state.
    expect(text(await rt.run(counter('a2'), {}, { id: 'warm-a' }))).toBe('a2:1')
  })

  it('global pollution in one function never reaches another', async () => {
    await rt.run(`Array.prototype.map = () => 'polluted'; globalThis.leak = 'secret'; Object.prototype.evil = 1\nexport default () => 'ok'`, {}, { id: 'polluter' })
    const clean = await rt.run(`export default () => ({ statusCode: 200, body: { map: [1].map((x) => x + 1), leak: typeof leak, evil: ({}).evil === undefined } })`, {}, { id: 'clean' })
    expect(json(clean)).toEqual({ map: [2], leak: 'undefined', evil: true })
  })

  it('a timed-out invocation does not disturb another invocation of the same function in flight', async () => {
    const code = `export default async (req) => { if (req.path === '/hang') await new Promise(() => {}); await new Promise((r) => setTimeout(r, 300)); return 'fine' }`
    const [hung, fine] = await Promise.all([
      rt.run(code, { path: '/hang' }, { id: 'shared', timeoutMs: 1000 }),
      new Promise((r) => setTimeout(r, 800)).then(() => rt.run(code, { path: '/ok' }, { id: 'shared', timeoutMs: 1000 })),
    ])
    expect(hung.outcome).toBe('timeout')
    expect(fine.outcome).toBe('ok')
    expect((await rt.run(code, { path: '/ok' }, { id: 'shared', timeoutMs: 1000 })).outcome).toBe('ok')
  })

  it('reports worker stats', async () => {
    const stats = await rt.runtime.stats()
    expect(stats).toHaveLength(2)
    for (const s of stats) expect(s.rssBytes).toBeGreaterThan(10_000_000)
  })
})
