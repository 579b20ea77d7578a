/**
 * `npm run bench:peers`: Edgepad against workerd, Vercel's edge-runtime, Deno and bare Node, on the
 * same functions, from one run on this machine. wrk in a separate process, fixed connections and
 * duration, warm-up excluded, systems interleaved round by round, medians reported. Writes the
 * tables to stdout and to docs/benchmarks.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { coldStarts, idleMemory } from './peers/deploy-measures.ts'
import { edgepad, edgepadIndexNow, edgepadNoLog } from './peers/edgepad-system.ts'
import { treeStats, waitForQuiet } from './peers/process-stats.ts'
import { bareNode, deno, edgeRuntime, startUpstream, stopChild, workerd, type Running, type System } from './peers/systems.ts'
import { WORKLOADS, type Workload } from './peers/workloads.ts'
import { runWrk, type LoadResult } from './peers/wrk.ts'
import { median } from './table.ts'

const here = dirname(fileURLToPath(import.meta.url))
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8)
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = [10, 100]
const ONLY = process.env.BENCH_WORKLOADS?.split(',')
const SYSTEMS: System[] = [edgepad, edgepadIndexNow, edgepadNoLog, workerd, edgeRuntime, deno, bareNode].filter((s) => !process.env.BENCH_SYSTEMS || process.env.BENCH_SYSTEMS.split(',').includes(s.name))

interface Sample extends LoadResult {
  cpuPercent: number
  rssBytes: number
  /** Seconds after the run until the system's deferred work was done (Edgepad: its log indexed). */
  settleSeconds: number
  /** CPU the serving process tree spent per response, in the run and until its deferred work was done. */
  cpuMicrosPerRequest: number
}

async function measure(running: Running, workload: Workload, connections: number, seconds: number, dir: string): Promise<Sample> {
  const pid = running.pidFor(workload)
  const before = treeStats(pid)
  let rssBytes = before.rssBytes
  const sampler = setInterval(() => (rssBytes = Math.max(rssBytes, treeStats(pid).rssBytes)), 500)
  const started = performance.now()
  const load = await runWrk(running.urlFor(workload), connections, seconds, workload.method, workload.body, dir).finally(() => clearInterval(sampler))
  const elapsed = (performance.now() - started) / 1000
  const cpuPercent = ((treeStats(pid).cpuSeconds - before.cpuSeconds) / elapsed) * 100
  const settleSeconds = (await running.settle?.()) ?? 0
  // Work deferred past the run (a log indexer catching up) is still work each request caused.
  const cpuMicrosPerRequest = ((treeStats(pid).cpuSeconds - before.cpuSeconds) / load.requests) * 1e6
  return { ...load, cpuPercent, rssBytes, settleSeconds, cpuMicrosPerRequest }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'edgepad-peers-'))
  const { child: upstream, url: upstreamUrl } = await startUpstream()
  const workloads = WORKLOADS.filter((w) => !ONLY || ONLY.includes(w.name))
  const running = new Map<string, Running>()
  try {
    for (const system of SYSTEMS) running.set(system.name, await system.start(workloads, upstreamUrl, mkdtempSync(join(dir, 'sys-'))))
    const samples = new Map<string, Sample[]>()
    const key = (w: Workload, c: number, s: string) => `${w.name}|${c}|${s}`
    // Every system stays up for the whole run; none may still be busy when another one is measured.
    const everyPid = [...new Set([upstream.pid!, ...[...running.values()].flatMap((r) => workloads.map((w) => r.pidFor(w)))])]
    const quiet = async () => {
      const waited = await waitForQuiet(everyPid)
      if (waited > 2) process.stderr.write(`(waited ${waited.toFixed(1)} s for every system to go quiet)\n`)
    }
    for (const workload of workloads) {
      for (const connections of CONNECTIONS) {
        for (const system of SYSTEMS) {
          const run = running.get(system.name)!
          await runWrk(run.urlFor(workload), connections, WARMUP_SECONDS, workload.method, workload.body, dir)
          await run.settle?.()
        }
        for (let round = 0; round < ROUNDS; round++) {
          // Rotate the order every round so drift on a shared machine cancels out.
          const order = SYSTEMS.map((_, i) => SYSTEMS[(i + round) % SYSTEMS.length]!)
          for (const system of order) {
            await quiet()
            const sample = await measure(running.get(system.name)!, workload, connections, SECONDS, dir)
            const list = samples.get(key(workload, connections, system.name)) ?? []
            list.push(sample)
            samples.set(key(workload, connections, system.name), list)
            process.stderr.write(`${workload.name} c=${connections} ${system.name}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99Ms.toFixed(1)} ms\n`)
          }
        }
      }
    }
    for (const system of SYSTEMS) await running.get(system.name)!.stop()
    running.clear()
    const deployMeasures = !process.env.BENCH_SKIP_DEPLOY
    // A failure here must not throw away the load results gathered above.
    const cold = deployMeasures ? await coldStarts(upstreamUrl, dir).catch((error: Error) => [{ system: 'failed', p50Ms: NaN, what: error.message }]) : []
    const memory = deployMeasures ? await idleMemory(dir).catch((error: Error) => [{ system: 'failed', perFunctionMb: NaN, totalMb: NaN, what: error.message }]) : []
    const report = render(workloads, samples, key, cold, memory)
    console.log(report)
    // Only a full run may stand as the published numbers; partial runs (BENCH_SYSTEMS, BENCH_WORKLOADS…) print only.
    if (!process.env.BENCH_SYSTEMS && !ONLY && deployMeasures) writeFileSync(join(here, '..', 'docs', 'benchmarks.md'), report)
  } finally {
    for (const r of running.values()) await r.stop()
    await stopChild(upstream)
    rmSync(dir, { recursive: true, force: true })
  }
}

type RateOf = (system: string, c: number) => { rps: number }

/** The share of the log-off server's throughput that `system` (an Edgepad that logs) loses. */
const loggingCost = (stat: RateOf, system: string, c: number) => 1 - stat(system, c).rps / stat(edgepadNoLog.name, c).rps

/** Issue 11's targets for hello world, judged on this run's medians. */
function targets(stat: (system: string, c: number) => { rps: number; p99: number }): string[] {
  const lines = ['| target (hello) | c=10 | c=100 |', '|---|---|---|']
  const judge = (value: number, goal: number, higherIsBetter: boolean) =>
    `${value.toFixed(2)} (${(higherIsBetter ? value >= goal : value <= goal) ? 'met' : 'missed'})`
  const row = (what: string, f: (c: number) => string) => lines.push(`| ${what} | ${f(10)} | ${f(100)} |`)
  const has = (name: string) => SYSTEMS.some((s) => s.name === name)
  if (has('bare Node')) row('req/s ≥ 0.8 × bare Node', (c) => judge(stat('Edgepad', c).rps / stat('bare Node', c).rps, 0.8, true))
  if (has('workerd')) row('req/s ≥ 1.5 × workerd', (c) => judge(stat('Edgepad', c).rps / stat('workerd', c).rps, 1.5, true))
  if (has('bare Node')) row('p99 ≤ 2 × bare Node', (c) => judge(stat('Edgepad', c).p99 / stat('bare Node', c).p99, 2, false))
  if (has(edgepadNoLog.name)) row('logging cost ≤ 5%', (c) => judge(loggingCost(stat, 'Edgepad', c), 0.05, false))
  if (has(edgepadNoLog.name) && has(edgepadIndexNow.name))
    row('logging cost ≤ 5%, indexer beside the load', (c) => judge(loggingCost(stat, edgepadIndexNow.name, c), 0.05, false))
  if (has('Deno')) row('Deno (reference): Edgepad ÷ Deno', (c) => (stat('Edgepad', c).rps / stat('Deno', c).rps).toFixed(2))
  return lines
}

function render(
  workloads: Workload[],
  samples: Map<string, Sample[]>,
  key: (w: Workload, c: number, s: string) => string,
  cold: { system: string; p50Ms: number; what: string }[],
  memory: { system: string; perFunctionMb: number; totalMb: number; what: string }[],
): string {
  const lines: string[] = []
  const cpu = cpus()
  lines.push('# Benchmarks: Edgepad and its peers', '')
  lines.push(`Generated by \`npm run bench:peers\` on ${new Date().toISOString().slice(0, 10)}: ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}.`)
  lines.push(`wrk (1 thread) in its own process, ${SECONDS} s per run after a ${WARMUP_SECONDS} s warm-up, ${ROUNDS} interleaved rounds, medians; before each run, every system's processes are quiet (under 5% of a core for 0.5 s, waited for up to 30 s). CPU is the serving process tree (100% = one core) during the run; CPU per request also counts what the tree spends after the run until its deferred work is done (Edgepad's log indexer); RSS is the tree's peak. The machine is shared and noisy: trust differences above ~30%.`, '')
  lines.push('Systems: **Edgepad** (`npm run server` as shipped: one runtime worker per core, 2 here, each answering the connections it is handed next to its isolates, the common case of HTTP/1.1 on its own path and the rest through node:http; every invocation journaled as it is served and indexed into SQLite by a low-priority process, which lets the rows of a burst wait up to 30 s for a core the load leaves free), **Edgepad (index at once)** (the same with `EDGEPAD_LOG_INDEX_WAIT_S=0`: the indexer runs beside the load, as it does once a burst outlasts the wait), **Edgepad (log off)** (the same with `EDGEPAD_INVOCATION_LOG=off`: the difference is what logging costs), **workerd** (Cloudflare, one worker per function), **edge-runtime** (Vercel), **Deno** (`deno serve`), **bare Node** (`node:http` doing the same work natively, the upper bound of a Node host).', '')
  for (const workload of workloads) {
    lines.push(`## ${workload.name}`, '')
    lines.push('| system | req/s c=10 | req/s c=100 | p50 / p99 ms c=10 | p50 / p99 ms c=100 | CPU % c=100 | CPU µs per request c=10 / c=100 | RSS MB | Edgepad ÷ system, c=10 / c=100 |')
    lines.push('|---|---|---|---|---|---|---|---|---|')
    const stat = (system: string, c: number) => {
      const list = samples.get(key(workload, c, system)) ?? []
      return { rps: median(list.map((s) => s.rps)), p50: median(list.map((s) => s.p50Ms)), p99: median(list.map((s) => s.p99Ms)), cpu: median(list.map((s) => s.cpuPercent)), cpuPerRequest: median(list.map((s) => s.cpuMicrosPerRequest)), rss: Math.max(0, ...list.map((s) => s.rssBytes)), errors: list.reduce((n, s) => n + s.errors, 0) }
    }
    for (const system of SYSTEMS) {
      const a = stat(system.name, 10)
      const b = stat(system.name, 100)
      const ours10 = stat('Edgepad', 10).rps
      const ours100 = stat('Edgepad', 100).rps
      const ratio = system.name === 'Edgepad' ? '—' : `${(ours10 / a.rps).toFixed(2)} / ${(ours100 / b.rps).toFixed(2)}`
      const errors = a.errors + b.errors ? ` (${a.errors + b.errors} errors)` : ''
      lines.push(`| ${system.name}${errors} | ${Math.round(a.rps)} | ${Math.round(b.rps)} | ${a.p50.toFixed(1)} / ${a.p99.toFixed(1)} | ${b.p50.toFixed(1)} / ${b.p99.toFixed(1)} | ${Math.round(b.cpu)} | ${Math.round(a.cpuPerRequest)} / ${Math.round(b.cpuPerRequest)} | ${Math.round(b.rss / 2 ** 20)} | ${ratio} |`)
    }
    lines.push('')
    const cost = (c: number) => `${Math.round(loggingCost(stat, 'Edgepad', c) * 100)}%`
    if (SYSTEMS.includes(edgepadNoLog)) lines.push(`Logging every invocation costs ${cost(10)} / ${cost(100)} of throughput (c=10 / c=100; negative means within the noise).`, '')
    const costNow = (c: number) => `${Math.round(loggingCost(stat, edgepadIndexNow.name, c) * 100)}%`
    if (SYSTEMS.includes(edgepadIndexNow) && SYSTEMS.includes(edgepadNoLog))
      lines.push(`With the indexer beside the load (a burst longer than the wait, or the wait off), it costs ${costNow(10)} / ${costNow(100)}.`, '')
    const cpuCost = (c: number) => `${Math.round((stat('Edgepad', c).cpuPerRequest / stat(edgepadNoLog.name, c).cpuPerRequest - 1) * 100)}%`
    if (SYSTEMS.includes(edgepad) && SYSTEMS.includes(edgepadNoLog))
      lines.push(`In CPU, counting the indexer's catch-up after each run, a logged request costs ${cpuCost(10)} / ${cpuCost(100)} more than one with the log off: what logging costs under sustained load, when the indexer has no quiet moment to wait for.`, '')
    const settle = (c: number) => median((samples.get(key(workload, c, 'Edgepad')) ?? []).map((s) => s.settleSeconds)).toFixed(1)
    if (SYSTEMS.includes(edgepad)) lines.push(`Edgepad's log was complete and searchable ${settle(10)} / ${settle(100)} s after each run ended (median, c=10 / c=100): every invocation is journaled as it is served, and the indexer catches up once the load leaves a core free.`, '')
    if (workload.name === 'hello') lines.push(...targets((system, c) => stat(system, c)), '')
  }
  lines.push('## Cold start: first response after a new function is deployed', '')
  lines.push('| system | p50 ms | what was timed |', '|---|---|---|')
  for (const c of cold) lines.push(`| ${c.system} | ${c.p50Ms.toFixed(1)} | ${c.what} |`)
  lines.push('', '## Memory with 1,000 deployed idle functions', '')
  lines.push('| system | total MB | per function MB | how |', '|---|---|---|---|')
  for (const m of memory) lines.push(`| ${m.system} | ${Math.round(m.totalMb)} | ${m.perFunctionMb.toFixed(2)} | ${m.what} |`)
  lines.push('', 'Deno and edge-runtime run one application per process, so "1,000 deployed functions" has no meaning for them.', '')
  return lines.join('\n')
}

await main()
