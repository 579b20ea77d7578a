import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'

export interface EdgepadServer {
  /** e.g. http://127.0.0.1:41234 */
  url: string
  port: number
  /** Functions with a subdomain answer at `<subdomain>.<baseDomain>` (Host-header routing). */
  baseDomain: string
  /** A new non-admin user and a token for it, through the admin API. */
  userToken(name: string): Promise<string>
  /** GET through the server port with the given Host header, as a reverse proxy would forward it. */
  getWithHost(host: string, pathAndQuery: string): Promise<{ status: number; body: string }>
  stop(): Promise<void>
}

const root = path.resolve(import.meta.dirname, '..')

/** `node server/main.ts` as an operator runs it: its own temp data dir, a random port, loopback only. */
export async function startEdgepadServer(): Promise<EdgepadServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-e2e-server-'))
  const adminToken = `ep_${randomBytes(24).toString('base64url')}`
  const baseDomain = 'edgepad.test'
  const child = spawn(process.execPath, [path.join(root, 'server/main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      EDGEPAD_PORT: '0',
      EDGEPAD_HOST: '127.0.0.1',
      EDGEPAD_DATA: dataDir,
      EDGEPAD_ADMIN_TOKEN: adminToken,
      EDGEPAD_WORKERS: '1',
      EDGEPAD_DURABILITY: 'normal',
      EDGEPAD_BASE_DOMAIN: baseDomain,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    void exited.then(() => reject(new Error(`edgepad server exited before listening:\n${output}`)))
  })

  const api = async (method: string, urlPath: string, body?: unknown) => {
    const res = await fetch(`${url}${urlPath}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const json = (await res.json()) as Record<string, unknown>
    if (!res.ok) throw new Error(`${method} ${urlPath} → ${res.status} ${JSON.stringify(json)}`)
    return json
  }

  return {
    url,
    port: Number(new URL(url).port),
    baseDomain,
    async userToken(name) {
      const user = await api('POST', '/api/users', { name })
      const token = await api('POST', `/api/users/${String(user.id)}/tokens`, { name: 'ide' })
      return String(token.token)
    },
    getWithHost(host, pathAndQuery) {
      // node:http, because fetch treats Host as a forbidden header.
      return new Promise((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port: Number(new URL(url).port), path: pathAndQuery, headers: { host } }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (body += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
        })
        req.on('error', reject)
      })
    },
    async stop() {
      child.kill('SIGTERM')
      await exited
      fs.rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
