/**
 * `npm run bench:server`: the real server (`server/main.ts`, its own process, defaults except a
 * temp data dir) serving hello-world at /fn/:id, loaded by autocannon in a third process.
 * Prints req/s and latency percentiles; asserts nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { printTable } from './table.ts'

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10)
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,50,100').split(',').map(Number)
const HELLO = `export default async function handler(request) { return { statusCode: 200, body: 'hi' } }`
const JSON_ECHO = `export default async (req) => ({ statusCode: 200, body: { ok: true, path: req.path, q: req.query } })`

const root = fileURLToPath(new URL('..', import.meta.url))
const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js')
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-bench-server-'))
const token = `ep_${randomBytes(32).toString('base64url')}`

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(root, 'server/main.ts')], {
    env: { ...process.env, EDGEPAD_PORT: '0', EDGEPAD_DATA: dir, EDGEPAD_ADMIN_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(out)
      if (match) resolve({ child, url: match[1]! })
    })
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)))
  })
}

async function deploy(url: string, name: string, code: string): Promise<string> {
  const res = await fetch(`${url}/api/edge-functions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, code }),
  })
  if (res.status !== 201) throw new Error(`deploy failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { id: string }).id
}

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number; p90: number; average: number }
  non2xx: number
  errors: number
  timeouts: number
}

function autocannon(target: string, connections: number, duration: number): Promise<AutocannonResult> {
  const child = spawn(process.execPath, [autocannonBin, '-j', '-c', String(connections), '-d', String(duration), target], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as AutocannonResult) : reject(new Error(`autocannon exited ${code}`))))
  })
}

const server = await startServer()
try {
  const targets = { 'hello world': await deploy(server.url, 'hello', HELLO), 'JSON + query': await deploy(server.url, 'json-echo', JSON_ECHO) }
  const rows: (string | number)[][] = []
  for (const [name, id] of Object.entries(targets)) {
    const url = `${server.url}/fn/${id}/bench?x=1`
    await autocannon(url, 10, 2) // warm-up: isolate warm, JIT hot
    for (const c of CONNECTIONS) {
      const r = await autocannon(url, c, DURATION_S)
      rows.push([name, c, Math.round(r.requests.average), `${r.latency.p50} ms`, `${r.latency.p90} ms`, `${r.latency.p99} ms`, r.non2xx + r.errors + r.timeouts])
    }
  }
  printTable(
    `Server: /fn/:id over HTTP/1.1 keep-alive, ${DURATION_S}s per row, ${os.cpus().length} CPUs, default workers (autocannon in its own process)`,
    ['function', 'connections', 'req/s', 'p50', 'p90', 'p99', 'errors'],
    rows,
  )
} finally {
  server.child.kill('SIGTERM')
  await new Promise((resolve) => server.child.once('exit', resolve))
  fs.rmSync(dir, { recursive: true, force: true })
}
