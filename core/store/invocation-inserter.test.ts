import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'
import { ROWS_PER_STATEMENT } from './invocation-inserter.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

function stored(file: string): { seq: number; id: string }[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare<[], { seq: number; id: string }>('SELECT seq, id FROM invocations ORDER BY seq').all()
  } finally {
    db.close()
  }
}

async function writeBatch(store: TempStore['store'], ids: string[]): Promise<void> {
  for (const id of ids) store.invocations.enqueue(makeInvocation({ id, path: `/items/${id}`, console: [`line of ${id}`] }))
  await store.invocations.flush()
}

describe('invocation inserter (many rows per INSERT statement)', () => {
  it('gives each row the seq SQLite itself would (one past the largest), in batch order, at every batch size', async () => {
    t = await tempStore({ writer: { maxBatch: 1000, flushIntervalMs: 60_000 } })
    const sizes = [1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, ROWS_PER_STATEMENT + 1, 2 * ROWS_PER_STATEMENT + 5]
    const expected: { seq: number; id: string }[] = []
    for (const [b, size] of sizes.entries()) {
      const ids = Array.from({ length: size }, (_, i) => `b${b}-${i}`)
      await writeBatch(t.store, ids)
      for (const id of ids) expected.push({ seq: expected.length + 1, id })
    }
    expect(stored(t.file)).toEqual(expected)

    // After the newest rows are deleted SQLite would reuse their seqs; so must we.
    const db = new Database(t.file)
    db.prepare('DELETE FROM invocations WHERE seq > 40').run()
    db.close()
    await writeBatch(t.store, Array.from({ length: ROWS_PER_STATEMENT + 2 }, (_, i) => `again-${i}`))
    expect(stored(t.file).slice(38, 42)).toEqual([expected[38], expected[39], { seq: 41, id: 'again-0' }, { seq: 42, id: 'again-1' }])
  })

  it('indexes each row under its own seq: a search finds exactly the row that holds the words', async () => {
    t = await tempStore({ writer: { maxBatch: 1000, flushIntervalMs: 60_000 } })
    const ids = Array.from({ length: 3 * ROWS_PER_STATEMENT + 7 }, (_, i) => `row${i}`)
    await writeBatch(t.store, ids)
    for (const id of [ids[0]!, ids[ROWS_PER_STATEMENT]!, ids.at(-1)!]) {
      const page = await t.store.invocations.query({ functionId: 'fn-1', text: `line of ${id}`, limit: 10 })
      expect(page.items.map((i) => i.id)).toEqual([id])
    }
  })

  it('a reused id inside a full statement fails only that row', async () => {
    t = await tempStore({ writer: { maxBatch: 1000, flushIntervalMs: 60_000, maxAttempts: 1 }, onError: () => undefined })
    await writeBatch(t.store, ['dup'])
    const ids = Array.from({ length: ROWS_PER_STATEMENT + 3 }, (_, i) => (i === 5 ? 'dup' : `ok${i}`))
    const appended = Promise.allSettled(ids.map((id) => t!.store.invocations.append(makeInvocation({ id }))))
    await t.store.invocations.flush().catch(() => undefined)
    const settled = await appended
    expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1)
    expect(settled[5]).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_CONSTRAINT_UNIQUE' } })
    expect(stored(t.file)).toHaveLength(ids.length)
  })
})
