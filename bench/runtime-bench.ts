/**
 * `npm run bench:runtime`: warm per-invocation cost (CPU and wall), CPU per invocation of a function
 * that fetches, cold start, warm latency end to end through the supervisor, and memory per idle
 * warm function. Prints tables; asserts nothing.
 */
import { cpus } from 'node:os'
import { functionSpecSchema, type FunctionSpecInput } from '../common/model/invocation.ts'
import { Executor } from '../core/runtime/executor.ts'
import { functionKey } from '../core/runtime/function-key.ts'
import { prepareRequest } from '../core/runtime/request-input.ts'
import { createRuntime } from '../core/runtime/runtime.ts'
import { startUpstream, stopChild } from './peers/systems.ts'
import { mb, printTable, summarize, us } from './table.ts'

const HELLO = `export default async function handler(request) { return { statusCode: 200, body: 'hi' } }`
const HELLO_WEB = `export default { fetch(request) { return new Response('hi') } }`
const JSON_TRANSFORM = `export default async function handler(request) {
  const input = JSON.parse(request.body)
  const items = input.items.map((item) => ({ ...item, total: item.price * item.qty, tag: item.name.toUpperCase() }))
  return { statusCode: 200, body: { count: items.length, sum: items.reduce((s, i) => s + i.total, 0), items } }
}`
const JSON_BODY = JSON.stringify({ items: Array.from({ length: 20 }, (_, i) => ({ name: `item-${i}`, price: i * 1.5, qty: i % 4 })) })
const FUNCTIONS = { 'hello world': { code: HELLO, body: null }, 'JSON transform (20 items)': { code: JSON_TRANSFORM, body: JSON_BODY } } as const

const WARM_CALLS = Number(process.env.BENCH_WARM_CALLS ?? 20_000)
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 200)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const now = () => performance.now()
let unique = 0

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = now()
  await fn()
  return now() - start
}

/**
 * The per-invocation path inside a worker (`Executor.run` into the isolate and back), one call at a
 * time. CPU is the whole process's (getrusage: isolate threads and GC included), read around each
 * call; the mean comes from a separate untimed batch, so it carries no per-sample overhead.
 */
async function warmPerInvocation() {
  const executor = await Executor.create({ spareSandboxes: 2 })
  const cases = {
    'hello world, seed': { code: HELLO, body: null },
    'hello world, Web form': { code: HELLO_WEB, body: null },
    'JSON transform, seed': { code: JSON_TRANSFORM, body: JSON_BODY },
  }
  const rows: string[][] = []
  for (const [name, { code, body }] of Object.entries(cases)) {
    const request = prepareRequest({ method: body ? 'POST' : 'GET', path: '/bench', headers: { 'user-agent': 'bench', accept: '*/*' }, body })
    const spec = functionSpecSchema.parse({ id: `per-call-${name}`, code })
    // As in the worker: the supervisor hashes the spec once and sends the key along.
    const key = functionKey(spec)
    const first = await executor.run(spec, request, key)
    if (first.outcome !== 'ok') throw new Error(`${name}: ${first.outcome} ${first.error?.message ?? ''}`)
    for (let i = 0; i < 5000; i++) await executor.run(spec, request, key)
    const wall: number[] = []
    const cpu: number[] = []
    for (let i = 0; i < WARM_CALLS; i++) {
      const c0 = process.cpuUsage()
      const t0 = now()
      await executor.run(spec, request, key)
      const t1 = now()
      const c = process.cpuUsage(c0)
      wall.push(t1 - t0)
      cpu.push((c.user + c.system) / 1000)
    }
    const c0 = process.cpuUsage()
    const t0 = now()
    for (let i = 0; i < WARM_CALLS; i++) await executor.run(spec, request, key)
    const batchWall = (now() - t0) / WARM_CALLS
    const batch = process.cpuUsage(c0)
    const batchCpu = (batch.user + batch.system) / 1000 / WARM_CALLS
    const w = summarize(wall)
    const c = summarize(cpu)
    rows.push([name, us(c.p50), us(c.p99), us(batchCpu), us(w.p50), us(w.p99), us(batchWall)])
  }
  executor.close()
  printTable(
    `Warm per-invocation cost inside the worker (Executor.run, serial, ${WARM_CALLS} timed calls + ${WARM_CALLS} untimed)`,
    ['function', 'CPU p50', 'CPU p99', 'CPU mean', 'wall p50', 'wall p99', 'wall mean'],
    rows,
  )
}

/**
 * A function that fetches a small JSON answer from a loopback upstream (its own process, so its CPU
 * is not counted) and returns it: the host side of `fetch` (egress checks, the HTTP client, the
 * body read) plus the two entries into the isolate, with 1 and 50 invocations in flight.
 */
async function subrequests() {
  const { child: upstream, url } = await startUpstream()
  const executor = await Executor.create({ spareSandboxes: 1, egress: { allowPrivateNetworks: true } })
  const rows: string[][] = []
  const calls = Math.max(5000, WARM_CALLS / 2)
  try {
    const code = `export default { async fetch() { const res = await fetch('${url}'); return new Response(await res.text(), { headers: { 'content-type': 'application/json' } }) } }`
    const spec = functionSpecSchema.parse({ id: 'subrequest', code })
    const key = functionKey(spec)
    const request = prepareRequest({ method: 'GET', path: '/bench', headers: { 'user-agent': 'bench', accept: '*/*' }, body: null })
    const run = async (count: number, inFlight: number) => {
      let started = 0
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (started++ < count) {
            const result = await executor.run(spec, request, key)
            if (result.outcome !== 'ok') throw new Error(`subrequest: ${result.outcome} ${result.error?.message ?? ''}`)
          }
        }),
      )
    }
    for (const inFlight of [1, 50]) {
      await run(calls / 2, inFlight)
      const c0 = process.cpuUsage()
      const t0 = now()
      await run(calls, inFlight)
      const seconds = (now() - t0) / 1000
      const c = process.cpuUsage(c0)
      rows.push([String(inFlight), us((c.user + c.system) / 1000 / calls), `${Math.round(calls / seconds)}/s`])
    }
  } finally {
    executor.close()
    await stopChild(upstream)
  }
  printTable(`A function that fetches a loopback upstream (Executor in this process, ${calls} calls per row after a warm-up)`, ['in flight', 'CPU per invocation', 'invocations'], rows)
}

async function inWorker() {
  const executor = await Executor.create({ spareSandboxes: 2 })
  const rows: string[][] = []
  for (const [name, { code, body }] of Object.entries(FUNCTIONS)) {
    const request = prepareRequest({ method: body ? 'POST' : 'GET', path: '/bench', headers: { 'user-agent': 'bench', accept: '*/*' }, body })
    const spec = functionSpecSchema.parse({ id: `warm-${name}`, code })
    for (let i = 0; i < 2000; i++) await executor.run(spec, request)
    const samples: number[] = []
    for (let i = 0; i < WARM_CALLS; i++) samples.push(await time(() => executor.run(spec, request)))
    const warm = summarize(samples)
    // Cold: a new version deployed (spares refilled between deployments, as between real deploys).
    const cold: number[] = []
    for (let i = 0; i < COLD_RUNS; i++) {
      const fresh = functionSpecSchema.parse({ id: `cold-${name}-${unique++}`, code: `${code}\n// v${unique}` })
      cold.push(await time(() => executor.run(fresh, request)))
      await sleep(8)
    }
    const coldStats = summarize(cold)
    // Cold with no spare sandbox left: what a burst of deployments pays.
    const burst: number[] = []
    for (let i = 0; i < 50; i++) {
      const fresh = functionSpecSchema.parse({ id: `burst-${name}-${unique++}`, code: `${code}\n// v${unique}` })
      burst.push(await time(() => executor.run(fresh, request)))
    }
    const burstStats = summarize(burst.slice(5))
    rows.push([name, us(warm.p50), us(warm.p99), us(coldStats.p50), us(coldStats.p99), us(burstStats.p50), us(burstStats.p99)])
  }
  executor.close()
  printTable(
    `Inside the worker (Executor in this process, ${WARM_CALLS} warm calls, ${COLD_RUNS} cold deploys)`,
    ['function', 'warm p50', 'warm p99', 'cold p50', 'cold p99', 'cold, no spare p50', 'cold, no spare p99'],
    rows,
  )
}

async function endToEnd() {
  const runtime = createRuntime({ workers: 1 })
  const rows: string[][] = []
  for (const [name, { code, body }] of Object.entries(FUNCTIONS)) {
    const spec: FunctionSpecInput = { id: `e2e-${name}`, code }
    const request = { method: body ? 'POST' : 'GET', path: '/bench', headers: { 'user-agent': 'bench', accept: '*/*' }, body }
    for (let i = 0; i < 2000; i++) await runtime.run(spec, request)
    const samples: number[] = []
    for (let i = 0; i < WARM_CALLS / 2; i++) samples.push(await time(() => runtime.run(spec, request)))
    const warm = summarize(samples)
    const cold: number[] = []
    for (let i = 0; i < COLD_RUNS / 2; i++) {
      cold.push(await time(() => runtime.run({ id: `e2e-cold-${unique++}`, code: `${code}\n// v${unique}` }, request)))
      await sleep(8)
    }
    const coldStats = summarize(cold)
    const start = now()
    let done = 0
    const until = start + 2000
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (now() < until) {
        await runtime.run(spec, request)
        done++
      }
    }))
    const throughput = done / ((now() - start) / 1000)
    rows.push([name, us(warm.p50), us(warm.p99), us(coldStats.p50), us(coldStats.p99), `${Math.round(throughput)}/s`])
  }
  await runtime.close()
  printTable('End to end through the supervisor (1 worker process, serial calls; throughput with 32 in flight)', ['function', 'warm p50', 'warm p99', 'cold p50', 'cold p99', 'throughput'], rows)
}

async function memory() {
  const rows: string[][] = []
  for (const count of [100, 1000]) {
    const runtime = createRuntime({ workers: 1, workerEnv: { EDGEPAD_MAX_WARM: String(count + 10) } })
    await runtime.run({ id: 'baseline', code: HELLO })
    await sleep(500)
    const before = (await runtime.stats())[0]!
    const started = now()
    for (let i = 0; i < count; i++) await runtime.run({ id: `idle-${i}`, code: `${HELLO}\n// fn ${i}` })
    const elapsed = now() - started
    await sleep(1000)
    const after = (await runtime.stats())[0]!
    rows.push([String(count), mb(before.rssBytes), mb(after.rssBytes), mb((after.rssBytes - before.rssBytes) / count), String(after.warm), `${(elapsed / 1000).toFixed(2)} s`])
    await runtime.close()
  }
  printTable('Memory of warm idle functions (one worker process, each function invoked once)', ['functions', 'worker RSS before', 'after', 'per function', 'warm', 'deploy+first call, all'], rows)
}

console.log(`edgepad runtime benchmark — ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`)
await warmPerInvocation()
await subrequests()
if (!process.env.BENCH_WARM_ONLY) {
  await inWorker()
  await endToEnd()
  await memory()
}
