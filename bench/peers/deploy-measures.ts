import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { startEdgepadServer } from './edgepad-system.ts'
import { treeStats } from './process-stats.ts'
import { freePort, stopChild, waitForHttp } from './systems.ts'
import { median } from '../table.ts'

const require = createRequire(import.meta.url)
/** Deploy measures use one worker: the save's compile check warms the worker that serves, and each function holds one isolate. */
const ONE_WORKER = { EDGEPAD_WORKERS: '1' }
const HELLO = `export default { fetch() { return new Response('hi') } }`

/** First response after a new function is deployed: Edgepad deploys through its API; the others restart a process. */
export async function coldStarts(_upstream: string, dir: string) {
  const results: { system: string; p50Ms: number; what: string }[] = []
  const server = await startEdgepadServer(mkdtempSync(join(dir, 'cold-')), ONE_WORKER)
  try {
    const samples: number[] = []
    for (let i = 0; i < 30; i++) {
      const started = performance.now()
      const id = await server.deploy(`cold-${i}`, `export default async function handler() { return { statusCode: 200, body: 'v${i}' } }`)
      const response = await fetch(`${server.origin}/fn/${id}`)
      await response.text()
      samples.push(performance.now() - started)
    }
    results.push({ system: 'Edgepad', p50Ms: median(samples), what: 'POST /api/edge-functions (compile check, store, version) + first GET /fn/:id' })
  } finally {
    await server.stop()
  }
  results.push({ system: 'workerd', p50Ms: await processStart('workerd', dir), what: 'no hot deploy: process start with the new config to first response' })
  results.push({ system: 'Deno', p50Ms: await processStart('deno', dir), what: 'no hot deploy: `deno serve` start to first response' })
  return results
}

async function processStart(kind: 'workerd' | 'deno', dir: string): Promise<number> {
  const samples: number[] = []
  const file = join(dir, `cold-${kind}.js`)
  writeFileSync(file, HELLO)
  for (let i = 0; i < 7; i++) {
    const port = await freePort()
    const started = performance.now()
    let child
    if (kind === 'workerd') {
      writeFileSync(join(dir, 'cold.capnp'), `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = (services = [(name = "w", worker = (modules = [(name = "w.js", esModule = embed "cold-workerd.js")], compatibilityDate = "2026-11-01"))], sockets = [(name = "s", address = "127.0.0.1:${port}", http = (), service = "w")]);\n`)
      child = spawn(join(dirname(require.resolve('workerd/package.json')), 'bin', 'workerd'), ['serve', join(dir, 'cold.capnp')], { stdio: 'ignore' })
    } else {
      child = spawn(join(dirname(require.resolve('deno/package.json')), 'deno'), ['serve', '--quiet', '--host', '127.0.0.1', '--port', String(port), file], { stdio: 'ignore' })
    }
    await waitForHttp(`http://127.0.0.1:${port}/`, child, kind)
    samples.push(performance.now() - started)
    await stopChild(child)
  }
  return median(samples)
}

/** Resident memory with 1,000 functions deployed and each invoked once. */
export async function idleMemory(dir: string) {
  const COUNT = Number(process.env.BENCH_IDLE_FUNCTIONS ?? 1000)
  const results: { system: string; perFunctionMb: number; totalMb: number; what: string }[] = []
  const server = await startEdgepadServer(mkdtempSync(join(dir, 'idle-')), ONE_WORKER)
  try {
    await fetch(`${server.origin}/fn/${await server.deploy('baseline', HELLO)}`).then((r) => r.text())
    const before = treeStats(server.child.pid!).rssBytes
    for (let i = 0; i < COUNT; i++) {
      const id = await server.deploy(`idle-${i}`, `export default async function handler() { return { statusCode: 200, body: 'fn ${i}' } }`)
      await fetch(`${server.origin}/fn/${id}`).then((r) => r.text())
    }
    const after = treeStats(server.child.pid!).rssBytes
    results.push({ system: 'Edgepad', totalMb: after / 2 ** 20, perFunctionMb: (after - before) / COUNT / 2 ** 20, what: `server + 1 worker process, ${COUNT} functions deployed and invoked once (per function: growth over a server with one function)` })
  } finally {
    await server.stop()
  }
  // workerd: the functions behind one socket and a router worker (one socket per worker does not scale to 1,000).
  const services: string[] = []
  const bindings: string[] = []
  for (let i = 0; i < COUNT; i++) {
    writeFileSync(join(dir, `idle-${i}.js`), HELLO.replace("'hi'", `'fn ${i}'`))
    services.push(`(name = "w${i}", worker = (modules = [(name = "w.js", esModule = embed "idle-${i}.js")], compatibilityDate = "2026-11-01"))`)
    bindings.push(`(name = "w${i}", service = "w${i}")`)
  }
  writeFileSync(join(dir, 'idle-router.js'), `export default { fetch(request, env) { return env['w' + new URL(request.url).pathname.slice(1)].fetch(request) } }`)
  services.push(`(name = "router", worker = (modules = [(name = "r.js", esModule = embed "idle-router.js")], compatibilityDate = "2026-11-01", bindings = [${bindings.join(', ')}]))`)
  const port = await freePort()
  writeFileSync(join(dir, 'idle.capnp'), `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = (services = [${services.join(',\n')}], sockets = [(name = "s", address = "127.0.0.1:${port}", http = (), service = "router")]);\n`)
  const child = spawn(join(dirname(require.resolve('workerd/package.json')), 'bin', 'workerd'), ['serve', join(dir, 'idle.capnp')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  try {
    await waitForHttp(`http://127.0.0.1:${port}/0`, child, 'workerd').catch((error: Error) => {
      throw new Error(`${error.message}: ${stderr.slice(0, 500)}`)
    })
    for (let i = 0; i < COUNT; i++) await fetch(`http://127.0.0.1:${port}/${i}`).then((r) => r.text())
    const rss = treeStats(child.pid!).rssBytes
    // workerd builds every worker when it loads the config, so per function is the whole process over COUNT.
    results.push({ system: 'workerd', totalMb: rss / 2 ** 20, perFunctionMb: rss / COUNT / 2 ** 20, what: `one process, ${COUNT} workers behind a router, each invoked once (per function: total ÷ ${COUNT})` })
  } finally {
    await stopChild(child)
  }
  return results
}
