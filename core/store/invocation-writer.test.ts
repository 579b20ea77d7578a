import Database from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { DEFAULT_WRITER, type OpenStoreOptions } from './open-store.ts'
import { createThreadedInvocationWriter } from './threaded-invocation-writer.ts'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore as openTemp, type TempStore } from './fixtures/temp-store.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

/** Counts rows through a second connection: only committed data is visible there. */
function committedRows(file: string): number {
  const db = new Database(file, { readonly: true })
  try {
    return (db.prepare('SELECT count(*) AS n FROM invocations').get() as { n: number }).n
  } finally {
    db.close()
  }
}

// The server writes from a worker thread, the IDE in-thread: one contract, both proven.
describe.each([
  { mode: 'in-thread', writerThread: false },
  { mode: 'worker thread', writerThread: true },
])('batched invocation writer ($mode)', ({ writerThread }) => {
  const tempStore = (options: Partial<OpenStoreOptions> = {}) => openTemp({ ...options, writerThread })

  it('resolves append only after the row is committed and visible to other connections', async () => {
    t = await tempStore({ writer: { flushIntervalMs: 20 } })
    const pending = t.store.invocations.append(makeInvocation())
    expect(committedRows(t.file)).toBe(0)
    const id = await pending
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(committedRows(t.file)).toBe(1)
  })

  it('does not write on the caller’s turn: enqueue returns before anything is committed', async () => {
    t = await tempStore({ writer: { maxBatch: 2, flushIntervalMs: 1000 } })
    const ids = [t.store.invocations.enqueue(makeInvocation()), t.store.invocations.enqueue(makeInvocation())]
    expect(new Set(ids).size).toBe(2)
    expect(committedRows(t.file)).toBe(0)
    // A full batch is written at once (a later turn of the event loop), long before the 1 s timer.
    await vi.waitFor(() => expect(committedRows(t!.file)).toBe(2), { timeout: 500, interval: 5 })
  })

  it('flushes a partial batch after flushIntervalMs', async () => {
    t = await tempStore({ writer: { maxBatch: 1000, flushIntervalMs: 30 } })
    t.store.invocations.enqueue(makeInvocation())
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(committedRows(t.file)).toBe(0)
    await vi.waitFor(() => expect(committedRows(t!.file)).toBe(1), { timeout: 500, interval: 5 })
  })

  it('writes synchronously under backpressure instead of growing the queue without bound', async () => {
    t = await tempStore({ writer: { maxBatch: 10, maxQueue: 25, flushIntervalMs: 1000 } })
    for (let i = 0; i < 25; i++) t.store.invocations.enqueue(makeInvocation())
    expect(committedRows(t.file)).toBe(25)
  })

  it('commits everything queued on close, then refuses new rows', async () => {
    t = await tempStore({ writer: { flushIntervalMs: 10_000 } })
    const promises = Array.from({ length: 2500 }, (_, i) => t!.store.invocations.append(makeInvocation({ id: `c-${i}` })))
    await t.store.close()
    await expect(Promise.all(promises)).resolves.toHaveLength(2500)
    expect(committedRows(t.file)).toBe(2500)
    await expect(t.store.invocations.append(makeInvocation())).rejects.toMatchObject({ code: 'unavailable' })
  })

  it('rejects malformed invocations up front so they cannot fail a batch', async () => {
    t = await tempStore()
    const bad = makeInvocation()
    bad.result.metrics.wallMs = Number.NaN
    await expect(t.store.invocations.append(bad)).rejects.toMatchObject({ code: 'validation_failed' })
    expect(() => t!.store.invocations.enqueue({ ...makeInvocation(), functionId: '' })).toThrow(/functionId/)
    await expect(t.store.invocations.append(makeInvocation())).resolves.toBeTruthy()
  })

  it('rejects only the rows of a batch that cannot be written, after retries', async () => {
    const errors: unknown[] = []
    t = await tempStore({ writer: { maxAttempts: 2 }, onError: (e) => errors.push(e) })
    await t.store.invocations.append(makeInvocation({ id: 'dup' }))
    // Same batch: the reused id must not take its batch-mates down with it.
    const batch = [t.store.invocations.append(makeInvocation({ id: 'before' })), t.store.invocations.append(makeInvocation({ id: 'dup' })), t.store.invocations.append(makeInvocation({ id: 'after' }))]
    const settled = await Promise.allSettled(batch)
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_UNIQUE' })
    expect(errors.length).toBeGreaterThan(0)
    expect(committedRows(t.file)).toBe(3)
  })
})

describe('threaded invocation writer', () => {
  it('survives its thread dying: a new thread writes every unsettled invocation', async () => {
    t = await openTemp()
    const errors: unknown[] = []
    const writer = createThreadedInvocationWriter(t.file, 'full', (ids) => new Map([...ids].map((id) => [id, { secretHeaders: new Set<string>(), secretValues: [] }])), {
      ...DEFAULT_WRITER,
      flushIntervalMs: 10_000,
      onError: (e) => errors.push(e),
    })
    // Served traffic: nobody awaits these rows, so they wait for the thread's flush timer (10 s away)…
    for (let i = 0; i < 50; i++) writer.enqueue(makeInvocation())
    await vi.waitFor(() => expect(writer.queued).toBe(50))
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(committedRows(t.file)).toBe(0)
    // …when the thread dies. The next one gets them all.
    await writer.thread().terminate()
    await writer.flush()
    expect(writer.queued).toBe(0)
    expect(committedRows(t.file)).toBe(50)
    // An awaited row is committed at once, not at the flush interval.
    await writer.append(makeInvocation())
    expect(committedRows(t.file)).toBe(51)
    expect(String(errors[0])).toMatch(/writer thread exited/)
    await writer.close()
  })
})
