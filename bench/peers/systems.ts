import { fork, spawn, type ChildProcess } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../core/runtime/parity/workerd-server.ts'
import type { Workload } from './workloads.ts'

export { freePort }

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

export interface Running {
  /** The process (tree) serving this workload: its CPU and memory are what we report. */
  pidFor(workload: Workload): number
  urlFor(workload: Workload): string
  /**
   * After a run: waits until work the system deferred is done (Edgepad's log indexed), so it does
   * not run during the next system's measurement; resolves with the seconds that took.
   */
  settle?(): Promise<number>
  stop(): Promise<void>
}

export interface System {
  name: string
  start(workloads: Workload[], upstream: string, dir: string): Promise<Running>
}

export async function waitForHttp(url: string, child: ChildProcess, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`)
    try {
      await fetch(url)
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  throw new Error(`${what} did not start listening at ${url}`)
}

/** The loopback upstream the fetch workload calls (upstream-host.ts), in a process of its own, listening. */
export async function startUpstream(): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort()
  const child = fork(join(here, 'upstream-host.ts'), [], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' })
  const url = `http://127.0.0.1:${port}/data`
  await waitForHttp(url, child, 'upstream').catch(async (error: unknown) => {
    await stopChild(child)
    throw error
  })
  return { child, url }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(force)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

const code = (workload: Workload, upstream: string) => workload.web.replace('__UPSTREAM__', upstream)

/** Bare Node `http`: the same work done natively, the upper bound of a Node host. */
export const bareNode: System = {
  name: 'bare Node',
  async start(_, upstream) {
    const port = await freePort()
    const child = fork(join(here, 'bare-node-host.ts'), [], { env: { ...process.env, PORT: String(port), UPSTREAM: upstream }, stdio: 'ignore' })
    await waitForHttp(`http://127.0.0.1:${port}/hello`, child, 'bare Node')
    return { pidFor: () => child.pid!, urlFor: (w) => `http://127.0.0.1:${port}/${w.name}`, stop: () => stopChild(child) }
  },
}

/** Cloudflare's workerd: one worker per workload, each on its own socket, loopback egress allowed. */
export const workerd: System = {
  name: 'workerd',
  async start(workloads, upstream, dir) {
    const ports = new Map<string, number>()
    const services: string[] = []
    const sockets: string[] = []
    for (const [i, workload] of workloads.entries()) {
      writeFileSync(join(dir, `w${i}.js`), code(workload, upstream))
      services.push(`(name = "w${i}", worker = (modules = [(name = "worker.js", esModule = embed "w${i}.js")], compatibilityDate = "2026-11-01", globalOutbound = "net"))`)
      const port = await freePort()
      ports.set(workload.name, port)
      sockets.push(`(name = "s${i}", address = "127.0.0.1:${port}", http = (), service = "w${i}")`)
    }
    services.push(`(name = "net", network = (allow = ["public", "private", "local"]))`)
    writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";\nconst config :Workerd.Config = (\n  services = [${services.join(',\n  ')}],\n  sockets = [${sockets.join(',\n  ')}]\n);\n`)
    const binary = join(dirname(require.resolve('workerd/package.json')), 'bin', 'workerd')
    const child = spawn(binary, ['serve', join(dir, 'config.capnp')], { stdio: 'ignore' })
    await waitForHttp(`http://127.0.0.1:${ports.get(workloads[0]!.name)}/`, child, 'workerd')
    return { pidFor: () => child.pid!, urlFor: (w) => `http://127.0.0.1:${ports.get(w.name)}/`, stop: () => stopChild(child) }
  },
}

/** Deno's `deno serve`, which runs `export default { fetch }` modules as they are. One process per workload. */
export const deno: System = {
  name: 'Deno',
  async start(workloads, upstream, dir) {
    const children: ChildProcess[] = []
    const ports = new Map<string, number>()
    const binary = join(dirname(require.resolve('deno/package.json')), 'deno')
    for (const [i, workload] of workloads.entries()) {
      const file = join(dir, `d${i}.js`)
      writeFileSync(file, code(workload, upstream))
      const port = await freePort()
      ports.set(workload.name, port)
      const child = spawn(binary, ['serve', '--quiet', '--allow-net', '--host', '127.0.0.1', '--port', String(port), file], { stdio: 'ignore', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' } })
      children.push(child)
      await waitForHttp(`http://127.0.0.1:${port}/`, child, 'deno')
    }
    return {
      pidFor: (w) => children[workloads.indexOf(w)]!.pid!,
      urlFor: (w) => `http://127.0.0.1:${ports.get(w.name)}/`,
      stop: async () => void (await Promise.all(children.map(stopChild))),
    }
  },
}

/** Vercel's edge-runtime `runServer`, one process per workload. */
export const edgeRuntime: System = {
  name: 'edge-runtime',
  async start(workloads, upstream) {
    const children: ChildProcess[] = []
    const ports = new Map<string, number>()
    for (const workload of workloads) {
      const port = await freePort()
      ports.set(workload.name, port)
      const child = fork(join(here, 'edge-runtime-host.ts'), [], { env: { ...process.env, PORT: String(port), MODULE_CODE: code(workload, upstream) }, stdio: 'ignore' })
      children.push(child)
      await waitForHttp(`http://127.0.0.1:${port}/`, child, 'edge-runtime')
    }
    return {
      pidFor: (w) => children[workloads.indexOf(w)]!.pid!,
      urlFor: (w) => `http://127.0.0.1:${ports.get(w.name)}/`,
      stop: async () => void (await Promise.all(children.map(stopChild))),
    }
  },
}
