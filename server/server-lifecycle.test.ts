import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnServer, type ServerProcess } from './fixtures/server-process.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-lifecycle-'))
const running: ServerProcess[] = []
afterAll(() => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL')
  fs.rmSync(dir, { recursive: true, force: true })
})

const env = { EDGEPAD_PORT: '0', EDGEPAD_DATA: dir, EDGEPAD_WORKERS: '1' }
function start(extra: Record<string, string> = {}): ServerProcess {
  const p = spawnServer({ ...env, ...extra })
  running.push(p)
  return p
}

async function call(url: string, token: string, method: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { id: string } }
}

describe('server process', () => {
  it('refuses bad configuration with a clear message and exit code 2', async () => {
    const p = start({ EDGEPAD_PORT: 'eighty', EDGEPAD_WORKERS: '0' })
    expect(await p.exited).toBe(2)
    expect(p.output()).toMatch(/EDGEPAD_PORT/)
    expect(p.output()).toMatch(/EDGEPAD_WORKERS/)
  })

  let token = ''
  let fnId = ''

  it('prints a generated admin token once, drains in-flight requests on SIGTERM and exits 0', async () => {
    const p = start()
    const url = await p.ready
    token = /\n\s+(ep_[A-Za-z0-9_-]+)\n/.exec(p.output())?.[1] ?? ''
    expect(token).not.toBe('')
    expect(fs.statSync(path.join(dir, 'secret-keys.json')).mode & 0o777).toBe(0o600)
    const created = await call(`${url}/api/edge-functions`, token, 'POST', {
      name: 'slow',
      code: `export default async (req) => { if (req.path === '/slow') await new Promise((r) => setTimeout(r, 1500)); return 'done ' + req.path }`,
      envVars: { KEPT: 'across-restarts' },
    })
    expect(created.status).toBe(201)
    fnId = created.body.id
    expect(await (await fetch(`${url}/fn/${fnId}/warm`)).text()).toBe('done /warm')

    const inflight = fetch(`${url}/fn/${fnId}/slow`)
    await new Promise((r) => setTimeout(r, 300))
    p.child.kill('SIGTERM')
    const res = await inflight
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('done /slow')
    expect(await p.exited).toBe(0)
    await expect(fetch(`${url}/healthz`)).rejects.toThrow()
  })

  it('restarts on the same data dir with everything intact and no new token printed', async () => {
    const p = start()
    const url = await p.ready
    expect(p.output()).not.toMatch(/Admin token/)
    const fn = await call(`${url}/api/edge-functions/${fnId}`, token, 'GET')
    expect(fn.status).toBe(200)
    expect(fn.body.envVarNames).toEqual(['KEPT'])
    expect(await (await fetch(`${url}/fn/${fnId}/again`)).text()).toBe('done /again')
    // The drained request was logged before the previous process exited.
    const logs = await call(`${url}/api/edge-functions/${fnId}/logs?pathPrefix=/slow`, token, 'GET')
    expect((logs.body.items as unknown[]).length).toBe(1)
    p.child.kill('SIGINT')
    expect(await p.exited).toBe(0)
  })
})
