import { serialize } from 'node:v8'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { uuidV7 } from './ids.ts'
import { DEFAULT_WRITER } from './open-store.ts'
import { packInvocations, unpackInvocations } from './packed-invocations.ts'
import { createThreadedInvocationWriter } from './threaded-invocation-writer.ts'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

const withId = (inv: NewInvocation) => ({ ...inv, id: inv.id ?? uuidV7() })

describe('packed invocations', () => {
  it('round-trip to the wire rows of the same invocations', () => {
    const invocations = [makeInvocation({ console: ['a', 'b'], error: 'boom', requestBody: new Uint8Array([0, 255]) }), makeInvocation({ functionId: 'fn-2' })].map(withId)
    const packed = packInvocations(invocations)
    expect(packed.ids).toEqual(invocations.map((i) => i.id))
    expect(packed.functionIds).toEqual(['fn-1', 'fn-2'])
    const rows = unpackInvocations(packed)
    expect(rows.map((r) => r[0])).toEqual(packed.ids)
    expect(rows[0]![10]).toEqual(new Uint8Array([0, 255]))
  })

  it('refuse a pack whose payload does not match its ids, or is not one', () => {
    const packed = packInvocations([withId(makeInvocation())])
    expect(() => unpackInvocations({ ...packed, ids: ['other'] })).toThrow(/does not match/)
    expect(() => unpackInvocations({ ...packed, functionIds: ['other'] })).toThrow(/does not match/)
    expect(() => unpackInvocations({ ...packed, payload: serialize([[1, 2, 3]]) })).toThrow(/does not match/)
    expect(() => unpackInvocations({ ...packed, payload: new Uint8Array([1, 2, 3]) })).toThrow(/could not be decoded/)
  })
})

// The server's writer thread, and the IDE's in-thread writer: the same rows either way.
describe.each([{ writerThread: true }, { writerThread: false }])('enqueuePacked (writerThread: $writerThread)', ({ writerThread }) => {
  it('writes every row of a pack, searchable and redacted as enqueue would', async () => {
    t = await tempStore({ writerThread })
    const invocations = Array.from({ length: 40 }, (_, i) => withId(makeInvocation({ path: `/packed/${i}`, console: [`line ${i}`] })))
    t.store.invocations.enqueuePacked(packInvocations(invocations))
    await t.store.invocations.flush()
    const page = await t.store.invocations.query({ functionId: 'fn-1', limit: 100 })
    expect(page.items.map((r) => r.id).sort()).toEqual(invocations.map((i) => i.id).sort())
    const found = await t.store.invocations.query({ functionId: 'fn-1', text: 'line 7', limit: 10 })
    expect(found.items.map((r) => r.path)).toEqual(['/packed/7'])
  })

  it('reports a bad pack to onError and writes nothing of it', async () => {
    const errors: unknown[] = []
    t = await tempStore({ writerThread, onError: (e: unknown) => errors.push(e) })
    const packed = packInvocations([withId(makeInvocation())])
    t.store.invocations.enqueuePacked({ ...packed, ids: ['x'] })
    await t.store.invocations.flush()
    await vi.waitFor(() => expect(String(errors[0])).toMatch(/does not match/))
    expect((await t.store.invocations.query({ functionId: 'fn-1', limit: 10 })).items).toHaveLength(0)
  })
})

describe('threaded writer with packs', () => {
  it('re-sends the unsettled rows of a pack to a new thread when its thread dies', async () => {
    t = await tempStore()
    const errors: unknown[] = []
    const writer = createThreadedInvocationWriter(t.file, 'full', (ids) => new Map([...ids].map((id) => [id, { secretHeaders: new Set<string>(), secretValues: [] }])), {
      ...DEFAULT_WRITER,
      flushIntervalMs: 10_000,
      onError: (e) => errors.push(e),
    })
    writer.enqueuePacked(packInvocations(Array.from({ length: 30 }, () => withId(makeInvocation()))))
    await new Promise((resolve) => setTimeout(resolve, 100))
    await writer.thread().terminate()
    await writer.flush()
    expect(writer.queued).toBe(0)
    const count = (await t.store.invocations.query({ functionId: 'fn-1', limit: 100 })).items.length
    expect(count).toBe(30)
    expect(String(errors[0])).toMatch(/writer thread exited/)
    await writer.close()
  })
})
