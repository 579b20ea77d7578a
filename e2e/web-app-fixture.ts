import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { test as base, expect } from '@playwright/test'

interface WebApp {
  url: string
  origin: string
  /** Every URL the page asked for that is not the app itself; must stay empty. */
  foreignRequests: string[]
}

const root = path.resolve(import.meta.dirname, '..')

/** Starts `web/main.ts` (the real web host) on port 0 with a fresh data dir and waits for its URL line. */
async function startHost(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(root, 'web/main.ts'), '--port', '0', '--data', dataDir], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Edgepad IDE \(web mode\): (\S+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => reject(new Error(`web host exited with ${code}:\n${output}`)))
  })
  return { child, url }
}

export const test = base.extend<{ app: WebApp }>({
  app: async ({ page }, use) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-e2e-'))
    const { child, url } = await startHost(dataDir)
    const origin = new URL(url).origin
    const foreignRequests: string[] = []
    page.on('request', (request) => {
      const u = request.url()
      if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u)
    })
    await use({ url, origin, foreignRequests })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    fs.rmSync(dataDir, { recursive: true, force: true })
  },
})

export { expect }
