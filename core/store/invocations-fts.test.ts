import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ftsInstances } from './fixtures/fts-index.ts'
import { makeInvocation, type InvocationShape } from './fixtures/make-invocation.ts'
import { tempStore, testBox, type TempStore } from './fixtures/temp-store.ts'
import { migrate } from './migration.ts'
import { MIGRATIONS } from './migrations/all-migrations.ts'
import { openStore } from './open-store.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

/** Every entry of the full-text index as one comparable line, in a stable order. */
const indexEntries = (db: Database.Database): string[] => ftsInstances(db).map((r) => `${r.doc} ${r.col} ${r.offset} ${r.term}`)

const docOf = (entry: string) => Number(entry.split(' ')[0])

/**
 * Text the index must be told again, exactly, when its row goes: the delete trigger recomputes
 * it in SQL from the stored row, the writer computed it in JS.
 */
const awkward: InvocationShape[] = [
  { path: '/orders/42', console: ['first line', '', 'third line'] },
  { path: '/', console: ['only the console speaks'] },
  { path: '/', error: 'TypeError: x is not a function' },
  { path: '/über/straße', console: ['日本語のログ', 'emoji 😀 here', 'combining é'] },
  { path: '/nul', console: ['before\u0000after', 'tab\there'] },
  { path: '/lone', console: ['half \ud800 surrogate', 'other \udc00 half'], error: 'bad \ud83d pair' },
  { path: '/quotes', console: ['"quoted" and \\backslash\\ and {"json":[1,2]}'] },
  { path: '/multi', console: ['line one\nline two', 'line three\r\nline four'] },
  { path: '/', console: ['---', '   '] }, // no token anywhere: no entry
  { path: '/-/', error: '!!!' }, // no token anywhere: no entry
  { path: '/long', console: [Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ')] },
]

async function fill(store: TempStore['store'], functionId: string, copies: number, startedAt: number): Promise<void> {
  for (let c = 0; c < copies; c++) {
    for (const [i, shape] of awkward.entries()) store.invocations.enqueue(makeInvocation({ ...shape, functionId, startedAt: startedAt + c * awkward.length + i }))
  }
  await store.invocations.flush()
}

describe('full-text entries of deleted log rows', () => {
  it('retention removes exactly the entries of the rows it trims, whatever their text', async () => {
    const NOW = Date.UTC(2025, 5, 1)
    t = await tempStore({ now: () => NOW, retention: { maxRowsPerFunction: 2 * awkward.length } })
    await fill(t.store, 'fn-a', 5, NOW - 100_000)
    const db = new Database(t.file)
    try {
      const before = indexEntries(db)
      const keptSeqs = new Set(db.prepare<[number], number>('SELECT seq FROM invocations ORDER BY seq DESC LIMIT ?').pluck().all(2 * awkward.length))
      // Two rows of each copy have no token: no entry, and nothing for the trigger to remove.
      expect(new Set(before.map(docOf)).size).toBe(5 * (awkward.length - 2))

      expect(await t.store.invocations.enforceRetention()).toEqual({ deletedByAge: 0, deletedByCount: 3 * awkward.length })
      expect(indexEntries(db)).toEqual(before.filter((entry) => keptSeqs.has(docOf(entry))))
      db.prepare("INSERT INTO invocations_fts (invocations_fts) VALUES ('integrity-check')").run()
    } finally {
      db.close()
    }
    const found = await t.store.invocations.query({ functionId: 'fn-a', text: 'after', limit: 50 })
    expect(found.items).toHaveLength(2)
  })

  it('deleting a function, or its rows by hand, leaves the index empty, and a reused seq matches only its own text', async () => {
    t = await tempStore()
    const { function: fn } = await t.store.functions.create({ owner: 'alice', name: 'noisy', code: 'export default () => "hi"' })
    await fill(t.store, fn.id, 3, Date.now())
    await fill(t.store, 'fn-other', 1, Date.now())
    const db = new Database(t.file)
    try {
      await t.store.functions.delete(fn.id)
      const left = indexEntries(db)
      expect(new Set(left.map(docOf)).size).toBe(awkward.length - 2)
      db.prepare('DELETE FROM invocations').run()
      expect(indexEntries(db)).toEqual([])
      expect(db.prepare('SELECT count(*) FROM invocations_fts').pluck().get()).toBe(0)
    } finally {
      db.close()
    }
    // SQLite hands out seq 1 again: no term of the rows that had it may find the new one.
    await t.store.invocations.append(makeInvocation({ functionId: 'fn-other', path: '/fresh' }))
    expect((await t.store.invocations.query({ functionId: 'fn-other', text: 'orders', limit: 10 })).items).toEqual([])
    expect((await t.store.invocations.query({ functionId: 'fn-other', text: 'fresh', limit: 10 })).items).toHaveLength(1)
  })

  it('migration 8 re-indexes the rows of a version-7 file, and deletes stay exact after it', async () => {
    t = await tempStore()
    const file = `${t.dir}/v7.db`
    const old = new Database(file)
    try {
      migrate(old, MIGRATIONS.slice(0, 7))
      const insert = old.prepare(`INSERT INTO invocations (seq, id, function_id, version, trigger, method, path, query, request_headers, request_body_truncated,
        request_body_size, status, response_headers, response_body_truncated, response_body_size, outcome, error_message, console, wall_ms, cpu_ms, peak_memory_bytes,
        cold_start, started_at) VALUES (?, ?, 'fn-old', 1, 'HTTP', 'GET', ?, '{}', '{}', 0, 0, 200, '{}', 0, 0, 'ok', ?, ?, 1, 1, 1, 0, ?)`)
      const indexOld = old.prepare('INSERT INTO invocations_fts (rowid, path, error, console) VALUES (?, ?, ?, ?)')
      awkward.forEach((shape, i) => {
        const lines = (shape.console ?? []).map((message, at) => ({ level: 'log', message, at }))
        insert.run(i + 1, `old-${i}`, shape.path ?? '/', shape.error ?? null, JSON.stringify(lines), 1000 + i)
        indexOld.run(i + 1, shape.path ?? '/', shape.error ?? '', lines.map((l) => l.message).join('\n'))
      })
    } finally {
      old.close()
    }
    const store = await openStore({ file, secretBox: testBox(), onError: () => {} })
    try {
      const search = async (text: string) => (await store.invocations.query({ functionId: 'fn-old', text, limit: 50 })).items.map((i) => i.id)
      expect(await search('third line')).toEqual(['old-0'])
      expect(await search('straße')).toEqual(['old-3'])
      expect(await search('word399')).toEqual(['old-10'])
      const db = new Database(file)
      try {
        expect(db.prepare('SELECT count(*) FROM invocations WHERE in_fts = 1').pluck().get()).toBe(awkward.length)
        db.prepare('DELETE FROM invocations').run()
        expect(indexEntries(db)).toEqual([])
      } finally {
        db.close()
      }
    } finally {
      await store.close()
    }
  })
})
