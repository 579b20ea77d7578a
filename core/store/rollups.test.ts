import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'
import { MINUTE_MS } from './rollups.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

describe('rollups of one batch', () => {
  it('counts every row in its own (function, minute, version), also when groups interleave', async () => {
    t = await tempStore({ writer: { maxBatch: 1000, flushIntervalMs: 60_000 } })
    const t0 = 1_000 * MINUTE_MS
    // Runs of one group, then rows that alternate between groups on every field of the key.
    const keys = [
      ...Array.from({ length: 5 }, () => ['fn-a', 0, 1] as const),
      ['fn-b', 0, 1], ['fn-a', 0, 1], ['fn-a', 1, 1], ['fn-a', 0, 2], ['fn-a', 0, 1], ['fn-b', 1, 2], ['fn-b', 1, 2], ['fn-a', 0, 1],
    ] as const
    for (const [i, [functionId, minute, version]] of keys.entries()) {
      t.store.invocations.enqueue(makeInvocation({ functionId, version, startedAt: t0 + minute * MINUTE_MS + i, status: i % 3 === 0 ? 500 : 200 }))
    }
    await t.store.invocations.flush()
    const expected = new Map<string, { count: number; errors: number }>()
    for (const [i, [functionId, minute, version]] of keys.entries()) {
      const key = `${functionId}/${1_000 + minute}/${version}`
      const e = expected.get(key) ?? { count: 0, errors: 0 }
      e.count++
      if (i % 3 === 0) e.errors++
      expected.set(key, e)
    }
    const db = new Database(t.file, { readonly: true })
    const stored = db.prepare<[], { k: string; count: number; errors: number }>("SELECT function_id || '/' || minute || '/' || version AS k, count, error_count AS errors FROM invocation_rollups").all()
    db.close()
    expect(new Map(stored.map((r) => [r.k, { count: r.count, errors: r.errors }]))).toEqual(expected)
  })
})
