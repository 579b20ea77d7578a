import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, stopChild, type System } from './systems.ts'
import type { Workload } from './workloads.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface EdgepadServer {
  child: ChildProcess
  origin: string
  token: string
  deploy(name: string, code: string): Promise<string>
  /** Waits until every invocation served so far is in the searchable log; resolves with the seconds that took. */
  logCaughtUp(): Promise<number>
  stop(): Promise<void>
}

/** Starts `server/main.ts` as its own process (as `npm run server` does) on a temp data dir. */
export async function startEdgepadServer(dataDir: string, extraEnv: Record<string, string> = {}): Promise<EdgepadServer> {
  const port = await freePort()
  const token = randomBytes(24).toString('base64url')
  const child = spawn(process.execPath, [...(process.env.EDGEPAD_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.EDGEPAD_PROFILE_DIR] : []), join(root, 'server', 'main.ts')], {
    env: {
      ...process.env,
      EDGEPAD_PORT: String(port),
      EDGEPAD_DATA: dataDir,
      EDGEPAD_ADMIN_TOKEN: token,
      // The fetch workload calls an upstream on loopback.
      EDGEPAD_ALLOW_PRIVATE_NETWORKS: 'true',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('listening on')) resolve()
    })
    child.once('exit', (code) => reject(new Error(`edgepad-server exited with code ${code}: ${out}`)))
  })
  child.stdout!.resume()
  const origin = `http://127.0.0.1:${port}`
  const deploy = async (name: string, code: string) => {
    const response = await fetch(`${origin}/api/edge-functions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name, code }),
    })
    const body = (await response.json()) as { id?: string }
    if (response.status !== 201 || !body.id) throw new Error(`deploying ${name} failed: ${response.status} ${JSON.stringify(body)}`)
    return body.id
  }
  const logCaughtUp = async () => {
    const started = performance.now()
    for (;;) {
      const response = await fetch(`${origin}/api/server`, { headers: { authorization: `Bearer ${token}` } })
      const { logBacklogBytes } = (await response.json()) as { logBacklogBytes?: number }
      if (!response.ok || typeof logBacklogBytes !== 'number') throw new Error(`GET /api/server answered ${response.status}`)
      if (logBacklogBytes === 0) return (performance.now() - started) / 1000
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  return { child, origin, token, deploy, logCaughtUp, stop: () => stopChild(child) }
}

function edgepadSystem(name: string, env: Record<string, string>): System {
  return {
    name,
    async start(workloads, upstream, dir) {
      const server = await startEdgepadServer(dir, env)
      const ids = new Map<string, string>()
      for (const workload of workloads) ids.set(workload.name, await server.deploy(`bench-${workload.name}`, workload.seed.replace('__UPSTREAM__', upstream)))
      return {
        pidFor: () => server.child.pid!,
        urlFor: (w: Workload) => `${server.origin}/fn/${ids.get(w.name)}`,
        settle: server.logCaughtUp,
        stop: server.stop,
      }
    },
  }
}

/** Edgepad's server as shipped (one worker per core, each answering the connections it is handed), serving the seed-form functions at /fn/:id, every invocation logged. */
export const edgepad = edgepadSystem('Edgepad', {})

/**
 * The same with the log indexer running beside the load instead of waiting for a free core
 * (index-gate.ts): what logging costs a burst longer than the wait (30 s by default), or any load
 * with the wait off.
 */
export const edgepadIndexNow = edgepadSystem('Edgepad (index at once)', { EDGEPAD_LOG_INDEX_WAIT_S: '0' })

/** The same with its invocation log off: the difference is what logging costs. */
export const edgepadNoLog = edgepadSystem('Edgepad (log off)', { EDGEPAD_INVOCATION_LOG: 'off' })
