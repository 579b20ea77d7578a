import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogQueryInput } from '../../common/model/invocation-log.ts'
import type { OutcomeKind } from '../../common/model/outcome.ts'
import { makeInvocation, type InvocationShape } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'

const T0 = Date.UTC(2025, 0, 1)
const outcomes: OutcomeKind[] = ['ok', 'ok', 'ok', 'runtime_error', 'timeout']
const methods = ['GET', 'POST', 'DELETE']
const paths = ['/api/users', '/api/orders', '/health', '/static/app.js']

/** 300 invocations with every filterable field varying independently; many share a startedAt to exercise tie-breaking. */
const data: (InvocationShape & { id: string })[] = Array.from({ length: 300 }, (_, i) => ({
  id: `inv-${String(i).padStart(4, '0')}`,
  functionId: i % 10 === 9 ? 'fn-other' : 'fn-1',
  version: 1 + (i % 3),
  method: methods[i % 3],
  path: paths[i % 4],
  outcome: outcomes[i % 5],
  status: outcomes[i % 5] === 'ok' ? [200, 201, 404][i % 3] : outcomes[i % 5] === 'timeout' ? 504 : 500,
  wallMs: (i * 7) % 250,
  startedAt: T0 + Math.floor(i / 4) * 1000,
  console: i % 6 === 0 ? [`processing order ${i}`, 'done'] : ['hello world'],
  error: outcomes[i % 5] === 'runtime_error' ? `TypeError: cannot read property of undefined (${i})` : undefined,
}))

let t: TempStore
beforeAll(async () => {
  t = await tempStore()
  for (const d of data) t.store.invocations.enqueue(makeInvocation(d))
  await t.store.invocations.flush()
})
afterAll(() => t.cleanup())

/** The expected result of a filter, computed directly from the data: newest first, ties by insertion order reversed. */
function expected(pred: (d: (typeof data)[number]) => boolean, functionId = 'fn-1'): string[] {
  return data
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => d.functionId === functionId && pred(d))
    .sort((a, b) => b.d.startedAt! - a.d.startedAt! || b.i - a.i)
    .map(({ d }) => d.id)
}

async function all(query: Omit<LogQueryInput, 'cursor'>): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  for (let page = 0; page < 1000; page++) {
    const result = await t.store.invocations.query({ ...query, ...(cursor ? { cursor } : {}) })
    ids.push(...result.items.map((i) => i.id))
    if (!result.nextCursor) return ids
    cursor = result.nextCursor
  }
  throw new Error('pagination did not terminate')
}

describe('invocation log queries', () => {
  it('pages newest first with a keyset cursor, no gaps or duplicates, across equal timestamps', async () => {
    const paged = await all({ functionId: 'fn-1', limit: 7 })
    expect(paged).toEqual(expected(() => true))
    const first = await t.store.invocations.query({ functionId: 'fn-1', limit: 7 })
    expect(first.items).toHaveLength(7)
    const last = await t.store.invocations.query({ functionId: 'fn-1', limit: 500 })
    expect(last.nextCursor).toBeNull()
  })

  it('keeps a cursor stable when newer rows arrive between pages', async () => {
    const first = await t.store.invocations.query({ functionId: 'fn-other', limit: 5 })
    await t.store.invocations.append(makeInvocation({ id: 'late-arrival', functionId: 'fn-other', startedAt: T0 + 10_000_000 }))
    const rest = await all({ functionId: 'fn-other', limit: 5, cursor: first.nextCursor! } as LogQueryInput)
    expect([...first.items.map((i) => i.id), ...rest]).toEqual(expected(() => true, 'fn-other'))
  })

  const cases: [string, Omit<LogQueryInput, 'functionId'>, (d: (typeof data)[number]) => boolean][] = [
    ['outcome kind', { outcomes: ['timeout', 'runtime_error'] }, (d) => d.outcome === 'timeout' || d.outcome === 'runtime_error'],
    ['status range', { statusMin: 400, statusMax: 499 }, (d) => d.status! >= 400 && d.status! <= 499],
    ['method', { methods: ['post', 'DELETE'] }, (d) => d.method === 'POST' || d.method === 'DELETE'],
    ['path prefix', { pathPrefix: '/api/' }, (d) => d.path!.startsWith('/api/')],
    ['path prefix is literal and case-sensitive', { pathPrefix: '/API' }, () => false],
    ['time range', { from: T0 + 10_000, to: T0 + 20_000 }, (d) => d.startedAt! >= T0 + 10_000 && d.startedAt! < T0 + 20_000],
    ['min duration', { minDurationMs: 200 }, (d) => d.wallMs! >= 200],
    ['version', { version: 2 }, (d) => d.version === 2],
    ['full text in console', { text: 'processing order' }, (d) => d.console!.some((c) => c.includes('processing order'))],
    ['full text in error message', { text: 'TypeError undefined' }, (d) => !!d.error],
    ['full text in path', { text: 'orders' }, (d) => d.path === '/api/orders'],
    ['full text prefix of last word', { text: 'proc' }, (d) => d.console!.some((c) => c.includes('processing'))],
    ['full text operators are literal words', { text: 'hello OR nothing' }, () => false],
    [
      'combined filters',
      { outcomes: ['ok'], methods: ['GET'], pathPrefix: '/api', minDurationMs: 50, version: 1 },
      (d) => d.outcome === 'ok' && d.method === 'GET' && d.path!.startsWith('/api') && d.wallMs! >= 50 && d.version === 1,
    ],
  ]
  for (const [name, filter, pred] of cases) {
    it(`filters by ${name}`, async () => {
      const want = expected(pred)
      const got = await all({ functionId: 'fn-1', limit: 9, ...filter })
      expect(got).toEqual(want)
      if (name !== 'path prefix is literal and case-sensitive' && name !== 'full text operators are literal words') expect(want.length).toBeGreaterThan(0)
    })
  }

  it('finds every match through short pages when a rare filter exhausts the scan budget', async () => {
    const small = await t.open({ logScanBudget: 7 })
    const want = expected((d) => d.outcome === 'timeout' && d.method === 'DELETE')
    const pages: number[] = []
    const ids: string[] = []
    let cursor: string | undefined
    for (;;) {
      const page = await small.invocations.query({ functionId: 'fn-1', outcomes: ['timeout'], methods: ['DELETE'], limit: 3, ...(cursor ? { cursor } : {}) })
      pages.push(page.items.length)
      ids.push(...page.items.map((i) => i.id))
      if (!page.nextCursor) break
      cursor = page.nextCursor
    }
    expect(ids).toEqual(want)
    expect(want.length).toBeGreaterThan(3)
    // Short pages are the point: no page examined more than the budget.
    expect(pages.some((n) => n < 3)).toBe(true)
  })

  it('rejects bad queries and bad cursors with validation_failed', async () => {
    await expect(t.store.invocations.query({ functionId: 'fn-1', limit: 0 })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(t.store.invocations.query({ functionId: 'fn-1', outcomes: ['nope' as OutcomeKind] })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(t.store.invocations.query({ functionId: 'fn-1', cursor: 'garbage' })).rejects.toMatchObject({ code: 'validation_failed' })
  })

  it('returns the full record by id', async () => {
    const full = await t.store.invocations.get('inv-0003')
    expect(full).toMatchObject({ id: 'inv-0003', outcome: 'runtime_error', status: 500, method: 'GET', path: '/static/app.js', version: 1 })
    expect(full.errorMessage).toContain('TypeError')
    expect(full.errorStack).toContain('at handler')
    expect(full.console.map((c) => c.message)).toEqual(['hello world'])
    expect(full.response.body).toEqual({ data: 'hello', encoding: 'utf8', truncated: false, sizeBytes: 5 })
    await expect(t.store.invocations.get('missing')).rejects.toMatchObject({ code: 'not_found' })
  })
})
