import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const cli = join(dirname(fileURLToPath(import.meta.url)), 'edgepad.ts')
const data = mkdtempSync(join(tmpdir(), 'edgepad-cli-server-'))
afterAll(() => rmSync(data, { recursive: true, force: true }))

describe('edgepad server', () => {
  it('starts the server on the given configuration and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, 'server'], { env: { ...process.env, EDGEPAD_DATA: data, EDGEPAD_PORT: '0', EDGEPAD_WORKERS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(out)
        if (match) resolve(match[1]!)
      })
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)))
    })
    expect(out).toMatch(/Admin token \(shown once/)
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })

  it('prints usage for an unknown command', async () => {
    const child = spawn(process.execPath, [cli, 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let err = ''
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect(code).toBe(2)
    expect(err).toMatch(/unknown command 'nope'[\s\S]*server/)
  })
})
