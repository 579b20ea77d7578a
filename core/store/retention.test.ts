import { afterEach, describe, expect, it } from 'vitest'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'

const NOW = Date.UTC(2025, 5, 1)
const HOUR = 3_600_000
let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

async function ids(store: TempStore['store'], functionId: string): Promise<string[]> {
  return (await store.invocations.query({ functionId, limit: 500 })).items.map((i) => i.id)
}

describe('retention', () => {
  it('deletes rows older than maxAge, and their rollups, keeping newer ones and their search entries', async () => {
    t = await tempStore({ now: () => NOW, retention: { maxAgeMs: 24 * HOUR, intervalMs: 3_600_000 } })
    for (let i = 0; i < 4500; i++) t.store.invocations.enqueue(makeInvocation({ id: `old-${i}`, startedAt: NOW - 48 * HOUR + i, console: ['needle'] }))
    for (let i = 0; i < 5; i++) t.store.invocations.enqueue(makeInvocation({ id: `new-${i}`, startedAt: NOW - HOUR + i, console: ['needle'] }))
    await t.store.invocations.flush()
    const result = await t.store.invocations.enforceRetention()
    expect(result).toEqual({ deletedByAge: 4500, deletedByCount: 0 })
    expect((await ids(t.store, 'fn-1')).sort()).toEqual(['new-0', 'new-1', 'new-2', 'new-3', 'new-4'])
    expect((await t.store.invocations.query({ functionId: 'fn-1', text: 'needle', limit: 500 })).items).toHaveLength(5)
    const old = await t.store.metrics.get({ functionId: 'fn-1', from: NOW - 49 * HOUR, to: NOW - 47 * HOUR })
    expect(old.count).toBe(0)
    const recent = await t.store.metrics.get({ functionId: 'fn-1', from: NOW - 2 * HOUR, to: NOW })
    expect(recent.count).toBe(5)
  })

  it('keeps only the newest maxRowsPerFunction rows of each function', async () => {
    t = await tempStore({ now: () => NOW, retention: { maxRowsPerFunction: 100 } })
    for (let i = 0; i < 2345; i++) t.store.invocations.enqueue(makeInvocation({ id: `a-${i}`, functionId: 'fa', startedAt: NOW - 10_000 + Math.floor(i / 3) }))
    for (let i = 0; i < 50; i++) t.store.invocations.enqueue(makeInvocation({ id: `b-${i}`, functionId: 'fb', startedAt: NOW - 10_000 + i }))
    await t.store.invocations.flush()
    const result = await t.store.invocations.enforceRetention()
    expect(result).toEqual({ deletedByAge: 0, deletedByCount: 2245 })
    const kept = await ids(t.store, 'fa')
    // Newest first; ties on startedAt broken by insertion order, so exactly the last 100 appended survive.
    expect(kept).toEqual(Array.from({ length: 100 }, (_, i) => `a-${2344 - i}`))
    expect(await ids(t.store, 'fb')).toHaveLength(50)
  })

  it('runs in the background on its interval', async () => {
    t = await tempStore({ now: () => NOW, retention: { maxRowsPerFunction: 3, intervalMs: 20 } })
    for (let i = 0; i < 10; i++) await t.store.invocations.append(makeInvocation({ startedAt: NOW - 100 + i }))
    const deadline = Date.now() + 5000
    while ((await ids(t.store, 'fn-1')).length > 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    expect(await ids(t.store, 'fn-1')).toHaveLength(3)
  })
})
