import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { ftsInstances } from './fixtures/fts-index.ts'
import { makeInvocation, type InvocationShape } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'
import { mayHoldFtsTokens } from './fts-tokens.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

/** Doc ids (rowids) the real invocations_fts table holds at least one term for. */
function indexedDocs(db: Database.Database): Set<number> {
  return new Set(ftsInstances(db).map((r) => r.doc))
}

describe('mayHoldFtsTokens', () => {
  it('agrees with the tokenizer of the migrated invocations_fts on every ASCII character, and never misses one beyond', async () => {
    t = await tempStore()
    const db = new Database(t.file)
    try {
      const insert = db.prepare("INSERT INTO invocations_fts (rowid, path, error, console) VALUES (?, ?, '', '')")
      const ascii = Array.from({ length: 128 }, (_, c) => String.fromCharCode(c))
      const beyond = ['é', 'ß', '—', '\u00a0', '\u2028', '😀', '日本', '\u0301', '\ue000', '①', '²', 'Ω', '\ud800']
      const samples = [...ascii, ...beyond]
      samples.forEach((s, i) => insert.run(i + 1, s))
      const indexed = indexedDocs(db)
      ascii.forEach((s, i) => expect([s.charCodeAt(0), mayHoldFtsTokens(s)]).toEqual([s.charCodeAt(0), indexed.has(i + 1)]))
      beyond.forEach((s, i) => {
        if (indexed.has(ascii.length + i + 1)) expect([s, mayHoldFtsTokens(s)]).toEqual([s, true])
      })
      expect(indexed.size).toBeGreaterThan(62) // the ASCII letters and digits, plus some of `beyond`
    } finally {
      db.close()
    }
  })
})

describe('rows without a token skip the full-text index', () => {
  const rows: (InvocationShape & { id: string })[] = [
    { id: 'root', path: '/' },
    { id: 'punct', path: '/-/', console: ['---', '   ', ''], error: '!!!' },
    { id: 'api', path: '/api/hello', console: ['hello world'] },
    { id: 'err', path: '/', error: 'boom at step 7' },
    { id: 'dash', path: '/', console: ['—'] },
    { id: 'umlaut', path: '/über' },
    { id: 'quote', path: '/"*"/', console: ['a "quoted" word'] },
  ]
  const queries = ['/', '-', '*', '"', '""', '!!!', '/ hello', 'hello', 'he', 'api hello', 'boom', 'step 7', '—', 'über', 'ü', 'quoted', '"*"', '- - wor']

  it('returns exactly the rows a search found when every row was indexed', async () => {
    t = await tempStore()
    for (const r of rows) await t.store.invocations.append(makeInvocation(r))
    const search = async (text: string) => (await t!.store.invocations.query({ functionId: 'fn-1', text, limit: 50 })).items.map((i) => i.id).sort()
    const skipping: Record<string, string[]> = {}
    for (const q of queries) skipping[q] = await search(q)

    // What the writer used to do: index every row. Add the entries it skipped, then search again.
    const db = new Database(t.file)
    try {
      const inIndex = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM invocations_fts').pluck()
      expect(inIndex.get()).toBe(rows.length - 2) // 'root' and 'punct' were skipped
      const stored = db.prepare<[], { seq: number; path: string; error_message: string | null; console: string }>('SELECT seq, path, error_message, console FROM invocations WHERE id IN (\'root\', \'punct\')').all()
      expect(stored).toHaveLength(2)
      for (const s of stored) {
        const consoleText = (JSON.parse(s.console) as { message: string }[]).map((l) => l.message).join('\n')
        db.prepare('INSERT INTO invocations_fts (rowid, path, error, console) VALUES (?, ?, ?, ?)').run(s.seq, s.path, s.error_message ?? '', consoleText)
      }
      expect(inIndex.get()).toBe(rows.length)
    } finally {
      db.close()
    }
    const indexingAll: Record<string, string[]> = {}
    for (const q of queries) indexingAll[q] = await search(q)
    expect(skipping).toEqual(indexingAll)
    // The comparison means something: the queries do find rows.
    expect(skipping['hello']).toEqual(['api'])
    expect(skipping['step 7']).toEqual(['err'])
  })

  it('deletes a skipped row cleanly, and a later row that reuses its seq is found', async () => {
    t = await tempStore()
    await t.store.invocations.append(makeInvocation({ id: 'first', path: '/' }))
    const db = new Database(t.file)
    try {
      // The delete trigger removes rowid = old.seq from the index, which never held it.
      db.prepare('DELETE FROM invocations').run()
      await t.store.invocations.append(makeInvocation({ id: 'second', path: '/orders' }))
      expect(db.prepare("SELECT seq FROM invocations WHERE id = 'second'").pluck().get()).toBe(1)
      db.prepare("INSERT INTO invocations_fts (invocations_fts) VALUES ('integrity-check')").run()
    } finally {
      db.close()
    }
    const found = await t.store.invocations.query({ functionId: 'fn-1', text: 'orders', limit: 10 })
    expect(found.items.map((i) => i.id)).toEqual(['second'])
  })
})
