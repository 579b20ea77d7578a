import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveNodeBinary } from './node-binary.ts'

describe('resolveNodeBinary', () => {
  it('finds the node devDependency of this repo and it is Node 24', async () => {
    const root = path.resolve(import.meta.dirname, '..')
    const found = resolveNodeBinary(root, {})
    expect(found).toBe(path.join(root, 'node_modules/node/bin/node'))
    const { execFileSync } = await import('node:child_process')
    expect(execFileSync(found, ['-v'], { encoding: 'utf8' })).toMatch(/^v24\./)
  })

  it('prefers EDGEPAD_NODE_PATH and fails with a clear message when nothing exists', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-node-'))
    const fake = path.join(dir, 'node')
    fs.writeFileSync(fake, '')
    expect(resolveNodeBinary(dir, { EDGEPAD_NODE_PATH: fake })).toBe(fake)
    expect(() => resolveNodeBinary(path.join(dir, 'nowhere'), {})).toThrow(/EDGEPAD_NODE_PATH/)
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
