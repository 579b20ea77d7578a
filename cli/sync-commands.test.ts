import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTRACTS } from '../common/contracts/all-contracts.ts'
import { toService } from '../common/contracts/rpc.ts'
import { openIde } from '../core/ide/open-ide.ts'
import { startSyncServer, type SyncTestServer } from '../core/sync/fixtures/sync-server.ts'

const CLI = fileURLToPath(new URL('./edgepad.ts', import.meta.url))
let server: SyncTestServer
let dataDir: string
let fnDir: string

function cli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, EDGEPAD_SERVER: '', EDGEPAD_TOKEN: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
  return { child, done, stdout: () => stdout }
}

beforeAll(async () => {
  server = await startSyncServer()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-cli-ide-'))
  fnDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-cli-fn-'))
  const ide = await openIde({ dataDir, host: 'web', workers: 1, backgroundSync: false })
  const transport = { call: ide.call, listen: () => () => {} }
  const functions = toService(transport, CONTRACTS.functions)
  const tests = toService(transport, CONTRACTS.tests)
  const fn = await functions.create({ name: 'cli-fn', template: 'hello-world' })
  await functions.save({ id: fn.id, code: `export default (req) => ({ statusCode: 200, body: { hi: req.query.name ?? 'world' } })` })
  await tests.save({ functionId: fn.id, testCase: { name: 'says hi', request: { path: '/', query: [{ name: 'name', value: 'ada' }] }, assertions: [{ kind: 'status_equals', value: 200 }, { kind: 'json_path_equals', path: '$.hi', value: '"ada"' }] } })
  await tests.save({ functionId: fn.id, testCase: { name: 'wrong <expectation>', request: { path: '/' }, assertions: [{ kind: 'body_contains', value: 'nope' }] } })
  await ide.close()
}, 60_000)
afterAll(async () => {
  await server?.close()
  for (const d of [dataDir, fnDir]) if (d) fs.rmSync(d, { recursive: true, force: true })
})

describe('edgepad publish / test / logs', () => {
  it('publishes an IDE function by name, then reports a republish as unchanged', async () => {
    const first = await cli(['publish', 'cli-fn', '--data-dir', dataDir, '--server', server.url, '--token', server.adminToken, '--json']).done
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    const result = JSON.parse(first.stdout)
    expect(result).toMatchObject({ status: 'published', remoteVersion: 1, versionCreated: true })
    expect(await (await fetch(result.publicUrls[0])).json()).toEqual({ hi: 'world' })
    // The server is now configured in the data dir: no flags needed.
    const again = await cli(['publish', 'cli-fn', '--data-dir', dataDir]).done
    expect(again.code).toBe(0)
    expect(again.stdout).toMatch(/cli-fn: unchanged \(remote version 1/)
  })

  it('publishes a directory with edgepad.json, sending only the named env values', async () => {
    fs.writeFileSync(path.join(fnDir, 'index.ts'), `export default { fetch: (r: Request, env: any) => new Response(env.SECRET + ' ' + env.UNSET) }`)
    fs.writeFileSync(path.join(fnDir, 'edgepad.json'), JSON.stringify({ name: 'dir-fn', timeoutMs: 5000 }))
    const env = { EDGEPAD_SERVER: server.url, EDGEPAD_TOKEN: server.adminToken, SECRET: 's3cret' }
    const first = await cli(['publish', fnDir, '-e', 'SECRET'], env).done
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/published, remote version 1 \(new\)/)
    expect(first.stdout).toMatch(/warning: the code reads env vars the server does not have: UNSET/)
    const url = /^\s+(http\S+)$/m.exec(first.stdout)![1]!
    expect(await (await fetch(url)).text()).toBe('s3cret undefined')
    const again = await cli(['publish', fnDir, '--json'], env).done
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'unchanged', remoteVersion: 1 })
    fs.writeFileSync(path.join(fnDir, 'index.ts'), `export default () => new Response('v2')`)
    const stale = await cli(['publish', fnDir, '--expect-version', '7'], env).done
    expect(stale.code).toBe(1)
    expect(stale.stdout).toMatch(/conflict/)
    const bad = await cli(['publish', fnDir], { ...env, EDGEPAD_TOKEN: 'ep_not_a_real_token_not_a_real' }).done
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/refused the token/)
    expect((await cli(['publish'], env).done).code).toBe(2)
  })

  it('runs saved test cases with junit, json and table reporters; a failure exits 1', async () => {
    const junit = await cli(['test', 'cli-fn', '--data-dir', dataDir, '--reporter', 'junit']).done
    expect(junit.code).toBe(1)
    expect(junit.stdout).toMatch(/^<\?xml version="1.0"/)
    const suite = /<testsuite name="cli-fn" tests="(\d+)" failures="(\d+)"/.exec(junit.stdout)!
    expect([suite[1], suite[2]]).toEqual(['2', '1'])
    expect(junit.stdout).toContain('<testcase name="says hi" classname="cli-fn"')
    expect(junit.stdout).toMatch(/<testcase name="wrong &lt;expectation&gt;"[^>]*>\s*<failure message="kind=&quot;body_contains&quot;/)

    const json = await cli(['test', 'cli-fn', '--data-dir', dataDir, '--reporter', 'json']).done
    const report = JSON.parse(json.stdout)
    expect(report).toMatchObject({ function: 'cli-fn', passed: false, total: 2, failed: 1 })
    expect(report.cases.map((c: { name: string; passed: boolean }) => [c.name, c.passed])).toEqual([['says hi', true], ['wrong <expectation>', false]])

    const table = await cli(['test', 'cli-fn', '--data-dir', dataDir, '--case', 'says hi']).done
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/PASS\s+says hi\s+200\s+ok/)
    expect(table.stdout).toMatch(/cli-fn: 1\/1 passed/)
    expect((await cli(['test', 'cli-fn', '--data-dir', dataDir, '--reporter', 'xml']).done).code).toBe(2)
    expect((await cli(['test', 'missing', '--data-dir', dataDir]).done).code).toBe(1)
  })

  it('follows the remote log until interrupted', async () => {
    const remoteId = (await server.api('GET', '/api/edge-functions?name=cli-fn')).body.items[0].id as string
    await fetch(`${server.url}/fn/${remoteId}/before-follow`)
    const follow = cli(['logs', 'cli-fn', '--remote', '--follow', '--data-dir', dataDir, '--interval', '200'])
    await waitFor(() => follow.stdout().includes('/before-follow'))
    await fetch(`${server.url}/fn/${remoteId}/during-follow`)
    await waitFor(() => follow.stdout().includes('/during-follow'))
    follow.child.kill('SIGINT')
    const { code, stdout } = await follow.done
    expect(code).toBe(0)
    expect(stdout.indexOf('/before-follow')).toBeLessThan(stdout.indexOf('/during-follow'))
    expect(stdout).toMatch(/200 {2}ok\s+GET {4}\/during-follow/)
    // The same log by URL and remote name, as CI would read it.
    const byUrl = await cli(['logs', 'cli-fn', '--remote', '--json', '--server', server.url, '--token', server.adminToken]).done
    expect(byUrl.stdout.trim().split('\n').map((l) => JSON.parse(l).path)).toEqual(expect.arrayContaining(['/before-follow', '/during-follow']))
  })
})

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}
