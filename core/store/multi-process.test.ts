import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const child = fileURLToPath(new URL('./fixtures/writer-child.ts', import.meta.url))

let dir: string
let file: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-mp-'))
  file = path.join(dir, 'edgepad.db')
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

interface Run {
  proc: ChildProcess
  acked: string[]
  lines: string[]
  stderr: string[]
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

function run(prefix: string, count: string): Run {
  const proc = spawn(process.execPath, [child, file, prefix, count], { stdio: ['ignore', 'pipe', 'pipe'] })
  const r: Run = { proc, acked: [], lines: [], stderr: [], exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))) }
  let buffer = ''
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8')
    const parts = buffer.split('\n')
    buffer = parts.pop()!
    for (const line of parts) {
      r.lines.push(line)
      if (line.startsWith(`${prefix}-`)) r.acked.push(line)
    }
  })
  proc.stderr!.on('data', (chunk: Buffer) => r.stderr.push(chunk.toString('utf8')))
  return r
}

function inspect(f: string) {
  const db = new Database(f)
  try {
    const ids = new Set((db.prepare('SELECT id FROM invocations').all() as { id: string }[]).map((r) => r.id))
    const integrity = db.pragma('integrity_check', { simple: true })
    db.prepare("INSERT INTO invocations_fts (invocations_fts) VALUES ('integrity-check')").run()
    const rollupCount = (db.prepare('SELECT coalesce(sum(count), 0) AS n FROM invocation_rollups').get() as { n: number }).n
    const ftsCount = (db.prepare("SELECT count(*) AS n FROM invocations_fts WHERE invocations_fts MATCH 'line'").get() as { n: number }).n
    return { ids, integrity, rollupCount, ftsCount }
  } finally {
    db.close()
  }
}

describe('several processes on one database file', () => {
  it('keeps every row when two processes append concurrently (both also migrate on open)', async () => {
    const a = run('a', '3000')
    const b = run('b', '3000')
    const [ea, eb] = await Promise.all([a.exited, b.exited])
    expect({ ea, eb, stderr: [...a.stderr, ...b.stderr].join('') }).toEqual({ ea: { code: 0, signal: null }, eb: { code: 0, signal: null }, stderr: '' })
    expect(a.lines.at(-1)).toBe('done')
    expect(b.lines.at(-1)).toBe('done')
    const { ids, integrity, rollupCount, ftsCount } = await inspect(file)
    expect(ids.size).toBe(6000)
    for (let i = 0; i < 3000; i++) {
      expect(ids.has(`a-${i}`)).toBe(true)
      expect(ids.has(`b-${i}`)).toBe(true)
    }
    expect(integrity).toBe('ok')
    expect(rollupCount).toBe(6000)
    expect(ftsCount).toBe(6000)
  }, 60_000)

  it('after SIGKILL mid-stream, every acknowledged row is present and the file is intact', async () => {
    const r = run('k', 'forever')
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (r.acked.length >= 5000) {
          clearInterval(timer)
          resolve()
        }
      }, 5)
      void r.exited.then(() => reject(new Error(`child exited early: ${r.stderr.join('')}`)))
    })
    r.proc.kill('SIGKILL')
    const exit = await r.exited
    expect(exit.signal).toBe('SIGKILL')
    const acked = [...r.acked]
    const { ids, integrity, rollupCount } = await inspect(file)
    expect(integrity).toBe('ok')
    const missing = acked.filter((id) => !ids.has(id))
    expect(missing).toEqual([])
    // Rows and rollups commit in one transaction, so a crash cannot leave them disagreeing.
    expect(rollupCount).toBe(ids.size)
    expect(ids.size).toBeGreaterThanOrEqual(acked.length)
  }, 60_000)
})
