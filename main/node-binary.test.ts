import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveNodeBinary, resolveWorkerEntry } from './node-binary.ts'

const repo = path.resolve(import.meta.dirname, '..')
let dir: string

/** A fake install: `<dir>/resources/{node/bin/node, app.asar.unpacked/out/worker/worker-main.mjs}` and a dev tree. */
function touch(...parts: string[]): string {
  const file = path.join(dir, ...parts)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, '')
  return file
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-node-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('resolveNodeBinary', () => {
  it('finds the node devDependency of this repo in development, and it is Node 24', () => {
    const found = resolveNodeBinary({ appRoot: repo, env: {} })
    expect(found).toBe(path.join(repo, 'node_modules/node/bin/node'))
    expect(execFileSync(found, ['-v'], { encoding: 'utf8' })).toMatch(/^v24\./)
  })

  it('takes the Node bundled in the resources when packaged, before any development copy', () => {
    const bundled = touch('resources', 'node', 'bin', 'node')
    touch('app', 'node_modules', 'node', 'bin', 'node')
    expect(resolveNodeBinary({ appRoot: path.join(dir, 'app'), resourcesPath: path.join(dir, 'resources'), env: {} })).toBe(bundled)
    const exe = touch('resources', 'node', 'bin', 'node.exe')
    expect(resolveNodeBinary({ appRoot: path.join(dir, 'app'), resourcesPath: path.join(dir, 'resources'), env: {}, platform: 'win32' })).toBe(exe)
  })

  it('prefers EDGEPAD_NODE_PATH, and refuses one that names no file', () => {
    const custom = touch('custom-node')
    touch('resources', 'node', 'bin', 'node')
    const lookup = { appRoot: dir, resourcesPath: path.join(dir, 'resources') }
    expect(resolveNodeBinary({ ...lookup, env: { EDGEPAD_NODE_PATH: custom } })).toBe(custom)
    expect(() => resolveNodeBinary({ ...lookup, env: { EDGEPAD_NODE_PATH: path.join(dir, 'typo') } })).toThrow(
      `EDGEPAD_NODE_PATH is set to ${path.join(dir, 'typo')}, which does not exist`,
    )
  })

  it('names every place it looked when nothing is there', () => {
    const lookup = { appRoot: path.join(dir, 'resources', 'app.asar'), resourcesPath: path.join(dir, 'resources'), env: {} }
    let message = ''
    try {
      resolveNodeBinary(lookup)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toContain(`${path.join(dir, 'resources', 'node', 'bin', 'node')} (the Node bundled with the app)`)
    expect(message).toContain(path.join(dir, 'resources', 'app.asar', 'node_modules', 'node', 'bin', 'node'))
    expect(message).toMatch(/reinstall Edgepad, or set EDGEPAD_NODE_PATH/)
    expect(() => resolveNodeBinary({ appRoot: dir, env: {} })).toThrow(/run `npm ci`, or set EDGEPAD_NODE_PATH/)
  })
})

describe('resolveWorkerEntry', () => {
  it('is the TypeScript source in development and the unpacked build in a package', () => {
    expect(resolveWorkerEntry({ appRoot: repo })).toBe(path.join(repo, 'core/runtime/worker-main.ts'))
    expect(fs.existsSync(resolveWorkerEntry({ appRoot: repo }))).toBe(true)
    const resourcesPath = path.join(dir, 'resources')
    expect(() => resolveWorkerEntry({ appRoot: path.join(resourcesPath, 'app.asar'), resourcesPath })).toThrow(/runtime worker is missing/)
    const entry = touch('resources', 'app.asar.unpacked', 'out', 'worker', 'worker-main.mjs')
    expect(resolveWorkerEntry({ appRoot: path.join(resourcesPath, 'app.asar'), resourcesPath })).toBe(entry)
  })
})
