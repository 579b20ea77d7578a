import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ParityCase } from './parity-case.ts'

export const COMPATIBILITY_DATE = '2026-11-01'

/** The router in front of the case workers: `/__case/<i>/rest` goes to case i as `/rest`. */
const ROUTER = `export default { fetch(request, env) {
  const url = new URL(request.url)
  const m = url.pathname.match(/^\\/__case\\/(\\d+)(\\/.*)$/)
  if (!m) return new Response('no case', { status: 599 })
  return env['c' + m[1]].fetch(new Request(url.origin + m[2] + url.search, request))
} }`

const str = (s: string) => JSON.stringify(s)

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** One workerd process serving every case (one worker each, behind a router), on 127.0.0.1. */
export async function startWorkerd(cases: ParityCase[]): Promise<{ origin: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'edgepad-parity-'))
  const services: string[] = []
  cases.forEach((c, i) => {
    writeFileSync(join(dir, `c${i}.js`), c.code)
    const bindings = Object.entries(c.env ?? {}).map(([name, value]) => `(name = ${str(name)}, text = ${str(value)})`)
    services.push(`(name = "c${i}", worker = (modules = [(name = "worker.js", esModule = embed "c${i}.js")], compatibilityDate = "${COMPATIBILITY_DATE}", bindings = [${bindings.join(', ')}]))`)
  })
  writeFileSync(join(dir, 'router.js'), ROUTER)
  const routerBindings = cases.map((_, i) => `(name = "c${i}", service = "c${i}")`).join(', ')
  services.push(`(name = "router", worker = (modules = [(name = "router.js", esModule = embed "router.js")], compatibilityDate = "${COMPATIBILITY_DATE}", bindings = [${routerBindings}]))`)
  const port = await freePort()
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [${services.join(',\n    ')}],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "router")]
);
`)
  const binary = join(createRequire(import.meta.url).resolve('workerd/package.json'), '..', 'bin', 'workerd')
  const child: ChildProcess = spawn(binary, ['serve', join(dir, 'config.capnp'), '--experimental'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  const origin = `http://127.0.0.1:${port}`
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
    rmSync(dir, { recursive: true, force: true })
  }
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`workerd exited with ${child.exitCode}: ${stderr}`)
    }
    try {
      await fetch(`${origin}/__ready`)
      return { origin, stop }
    } catch {
      if (attempt > 200) {
        await stop()
        throw new Error(`workerd did not start listening: ${stderr}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}
