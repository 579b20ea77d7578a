import Database from 'better-sqlite3'
import { appendFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'
import type { AppError } from '../../common/errors.ts'
import { DEFAULT_INDEX_GATE, SMALL_BACKLOG_BYTES } from './index-gate.ts'
import { journalName } from './log-journal.ts'
import { encodeJournalFrame } from './log-journal-codec.ts'
import { createLogJournalWriter } from './log-journal-writer.ts'
import { REDACTED } from './redaction.ts'

const invocation = (id: string, extra: Parameters<typeof makeInvocation>[0] = {}) => ({ ...makeInvocation({ id, functionId: 'fn-j', ...extra }), id })

let t: TempStore | null = null
afterEach(async () => {
  await t?.cleanup()
  t = null
})

async function journaledStore(errors: unknown[] = [], more: Parameters<TempStore['open']>[0] = {}) {
  t = await tempStore({ onError: (e) => errors.push(e) })
  await t.store.close()
  const journalDir = join(t.dir, 'log-journal')
  return { dir: journalDir, open: () => t!.open({ journalDir, onError: (e) => errors.push(e), ...more }) }
}

const ids = async (store: Awaited<ReturnType<TempStore['open']>>) => (await store.invocations.query({ functionId: 'fn-j', limit: 100 })).items.map((i) => i.id).sort()

describe('log journal indexer (a real process, a real SQLite file)', () => {
  it('commits journaled rows, redacted, and logs what a gone worker never finished as internal_error', async () => {
    const errors: unknown[] = []
    const { dir, open } = await journaledStore(errors)
    const store = await open()
    const file = store.journals!.newJournal()
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    writer.began(invocation('a', { requestHeaders: { authorization: 'Bearer tok-secret-1' }, requestBody: '{"x":1}' }))
    writer.began(invocation('b'))
    writer.began(invocation('interrupted', { path: '/slow' }))
    writer.writeNow()
    writer.enqueue(invocation('a', { responseBody: 'answer a' }))
    writer.enqueue(invocation('b', { outcome: 'runtime_error', status: 500, error: 'boom' }))
    writer.writeNow()

    await store.journals!.flush()
    expect(await ids(store)).toEqual(['a', 'b'])
    const a = await store.invocations.get('a')
    expect(a.request.headers.authorization).toBe(REDACTED)
    expect(a.request.body).toMatchObject({ data: '{"x":1}', encoding: 'utf8' })
    expect(a.response.body).toMatchObject({ data: 'answer a', encoding: 'utf8' })
    expect(await store.invocations.get('b')).toMatchObject({ outcome: 'runtime_error', errorMessage: 'boom' })
    expect(store.journals!.backlogBytes()).toBe(0)

    // The worker dies: what it began and never finished is logged, and its journal goes.
    writer.close()
    store.journals!.writerGone(file)
    await store.journals!.flush()
    const interrupted = await store.invocations.get('interrupted')
    expect(interrupted).toMatchObject({ outcome: 'internal_error', status: 503, path: '/slow' })
    expect(readdirSync(dir)).toEqual([])
    expect(errors).toEqual([])
  })

  it('picks up journals an earlier run left, resuming exactly after what that run committed', async () => {
    const errors: unknown[] = []
    const { dir, open } = await journaledStore(errors)
    // An earlier run committed the rows of the first frame of this journal and saved its progress.
    const name = journalName('earlier', 1)
    const first = encodeJournalFrame([invocation('r1'), invocation('r2')], [invocation('r1')])
    const firstBytes = Buffer.from(first)
    const second = encodeJournalFrame([invocation('r3')], [invocation('r2'), invocation('r3')])
    mkdirSync(dir, { recursive: true })
    appendFileSync(join(dir, name), firstBytes)
    appendFileSync(join(dir, name), second)
    // A record the earlier worker began just before it died, cut short mid-frame.
    appendFileSync(join(dir, name), encodeJournalFrame([invocation('r4')], []).subarray(0, 30))
    const db = new Database(t!.file)
    db.prepare('INSERT INTO invocations (seq, id, function_id, version, trigger, method, path, query, request_headers, request_body_truncated, request_body_size, status, response_headers, response_body_truncated, response_body_size, outcome, console, wall_ms, cpu_ms, peak_memory_bytes, cold_start, started_at) VALUES (1, \'r1\', \'fn-j\', 1, \'HTTP\', \'GET\', \'/\', \'{}\', \'{}\', 0, 0, 200, \'{}\', 0, 0, \'ok\', \'[]\', 1, 1, 1, 0, 1)').run()
    db.prepare('INSERT INTO log_journals (name, resume_offset, committed_offset, finished) VALUES (?, 0, ?, 0)').run(name, firstBytes.byteLength)
    db.close()

    const store = await open()
    await store.journals!.flush()
    // r1 is not written twice (its result precedes the saved offset); r2 learns its record from the replayed first frame.
    expect(await ids(store)).toEqual(['r1', 'r2', 'r3'])
    expect(readdirSync(dir)).toEqual([])
    expect(errors.map(String).join()).toMatch(/ends with 30 bytes of a frame its worker did not finish writing/)
  })

  it('reads thousands of journals left behind, more names than fit in a process argument', async () => {
    const errors: unknown[] = []
    const { dir, open } = await journaledStore(errors)
    mkdirSync(dir, { recursive: true })
    // 3,000 names of ~60 bytes: ~180 KB, past Linux's 128 KiB limit on one argument.
    const count = 3000
    for (let i = 0; i < count; i++) {
      const id = `left-${i}`
      writeFileSync(join(dir, journalName(`crash-looping-worker-${String(i).padStart(5, '0')}-0123456789abcdef`, 1)), encodeJournalFrame([invocation(id)], [invocation(id)]))
    }
    const store = await open()
    await store.journals!.flush()
    const db = new Database(t!.file, { readonly: true })
    try {
      expect(db.prepare("SELECT count(*) FROM invocations WHERE id LIKE 'left-%'").pluck().get()).toBe(count)
    } finally {
      db.close()
    }
    expect(readdirSync(dir)).toEqual([])
    expect(errors).toEqual([])
  })

  it('stores the same capped, redacted bodies from a journal that kept only a prefix of large ones', async () => {
    const errors: unknown[] = []
    const { dir, open } = await journaledStore(errors)
    const store = await open()
    const secret = 'tok-big-secret-1234'
    // A secret straddling the 64 KB cap, in multi-byte text and in bytes, bodies of 1 and 2 MB.
    const text = 'é'.repeat(32_760) + secret + 'ü'.repeat(500_000)
    const bytes = Buffer.concat([Buffer.alloc(65_520, 0x61), Buffer.from(secret), Buffer.alloc(2_000_000, 0x62)])
    const big = (id: string) => invocation(id, { requestHeaders: { authorization: `Bearer ${secret}` }, requestBody: text, responseBody: bytes as never })
    const whole = createLogJournalWriter(store.journals!.newJournal(), (e) => errors.push(e))
    const cut = createLogJournalWriter(store.journals!.newJournal(), (e) => errors.push(e), { bodyBytes: store.journals!.bodyBytes })
    for (const [writer, id] of [[whole, 'whole'], [cut, 'cut']] as const) {
      writer.began(big(id))
      writer.enqueue(big(id))
      writer.writeNow()
      writer.close()
    }
    const sizes = readdirSync(dir).map((name) => statSync(join(dir, name)).size).sort((a, b) => a - b)
    expect(sizes[0]).toBeLessThan(3 * store.journals!.bodyBytes)
    expect(sizes[1]).toBeGreaterThan(Buffer.byteLength(text) + bytes.byteLength)
    await store.journals!.flush()
    const [fromWhole, fromCut] = [await store.invocations.get('whole'), await store.invocations.get('cut')]
    expect(fromCut.request.body).toEqual(fromWhole.request.body)
    expect(fromCut.response.body).toEqual(fromWhole.response.body)
    expect(fromCut.request.body).toMatchObject({ truncated: true, sizeBytes: Buffer.byteLength(text) })
    expect(fromCut.response.body).toMatchObject({ truncated: true, sizeBytes: bytes.byteLength })
    for (const body of [fromCut.request.body, fromCut.response.body]) {
      expect(body!.data).not.toContain('tok-big')
      expect(body!.data).toContain(REDACTED)
    }
    expect(errors).toEqual([])
  })

  it('answers a flush while writers keep writing, once what was written before it is committed', async () => {
    const { open } = await journaledStore()
    const store = await open()
    const writer = createLogJournalWriter(store.journals!.newJournal(), () => {})
    let n = 0
    const write = () => {
      const id = `w${n++}`
      writer.began(invocation(id))
      writer.enqueue(invocation(id))
      writer.writeNow()
    }
    for (let i = 0; i < 20; i++) write()
    // Faster than the indexer can commit: it never runs out of work while this goes on.
    const busy = setInterval(() => {
      for (let i = 0; i < 300; i++) write()
    }, 1)
    try {
      await store.journals!.flush()
    } finally {
      clearInterval(busy)
    }
    for (let i = 0; i < 20; i++) expect((await store.invocations.get(`w${i}`)).id).toBe(`w${i}`)
    writer.close()
  })

  it('lets a burst wait on disk while no core is free, up to maxWaitMs; a small backlog and a flush do not wait', async () => {
    const errors: unknown[] = []
    // No machine has 1,000 free cores: every burst waits out maxWaitMs unless a flush asks for it.
    const { open } = await journaledStore(errors, { journalGate: { maxWaitMs: 4000, maxWaitBytes: 1 << 30, freeCores: 1000 } })
    const store = await open()
    const writer = createLogJournalWriter(store.journals!.newJournal(), () => {})
    const burst = (prefix: string) => {
      for (let i = 0; i < 400; i++) {
        writer.began(invocation(`${prefix}${i}`))
        writer.enqueue(invocation(`${prefix}${i}`, { responseBody: 'x'.repeat(1000) }))
      }
      writer.writeNow()
      expect(store.journals!.backlogBytes()).toBeGreaterThan(SMALL_BACKLOG_BYTES)
    }
    const logged = (id: string) =>
      store.invocations.get(id).then(
        () => true,
        (error: AppError) => (error.code === 'not_found' ? false : Promise.reject(error)),
      )
    const until = async (id: string, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end && !(await logged(id)); ) await new Promise((resolve) => setTimeout(resolve, 20))
      return logged(id)
    }

    writer.began(invocation('single'))
    writer.enqueue(invocation('single'))
    writer.writeNow()
    expect(await until('single', 3000)).toBe(true)
    // Until its first 250-ms reading of the machine, the gate lets everything through.
    await new Promise((resolve) => setTimeout(resolve, 300))

    burst('a')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await logged('a0')).toBe(false)
    await store.journals!.flush()
    expect(await logged('a399')).toBe(true)

    burst('b')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(await logged('b0')).toBe(false)
    expect(await until('b399', 30_000)).toBe(true)
    expect(store.journals!.backlogBytes()).toBe(0)
    expect(errors).toEqual([])
    writer.close()
  })

  it('runs log retention itself, at its own priority: a function keeps only its newest rows', async () => {
    const errors: unknown[] = []
    // Passes that never wait for a free core (the next test covers that): a busy test machine must not delay them.
    const { open } = await journaledStore(errors, { retention: { maxRowsPerFunction: 100, intervalMs: 50 }, journalGate: { ...DEFAULT_INDEX_GATE, maxWaitMs: 0 } })
    const store = await open()
    const writer = createLogJournalWriter(store.journals!.newJournal(), () => {})
    const T0 = Date.UTC(2026, 0, 1)
    for (let i = 0; i < 1300; i++) {
      const id = `r${String(i).padStart(4, '0')}`
      writer.began(invocation(id, { startedAt: T0 + i }))
      writer.enqueue(invocation(id, { startedAt: T0 + i }))
    }
    writer.writeNow()
    await store.journals!.flush()
    // Nothing on this side deletes: with the indexer stopped, every row stays.
    const count = async () => (await store.invocations.query({ functionId: 'fn-j', limit: 200 })).items.length
    process.kill(store.journals!.pid!, 'SIGSTOP')
    try {
      await new Promise((resolve) => setTimeout(resolve, 400))
      expect(await count()).toBe(200)
      expect(await store.invocations.get('r0000')).toMatchObject({ id: 'r0000' })
    } finally {
      process.kill(store.journals!.pid!, 'SIGCONT')
    }
    // Passes run every 50 ms in the indexer, 500 rows a chunk.
    for (let tries = 0; tries < 200; tries++) {
      const page = await store.invocations.query({ functionId: 'fn-j', limit: 200 })
      if (page.items.length === 100 && page.nextCursor === null) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const page = await store.invocations.query({ functionId: 'fn-j', limit: 200 })
    expect(page.items.map((i) => i.id)).toEqual(Array.from({ length: 100 }, (_, k) => `r${String(1299 - k).padStart(4, '0')}`))
    expect(errors).toEqual([])
    writer.close()
  })

  it('lets a retention pass wait for a free core as well, up to maxWaitMs from when it was due', async () => {
    const errors: unknown[] = []
    const { open } = await journaledStore(errors, { retention: { maxRowsPerFunction: 100, intervalMs: 50 }, journalGate: { maxWaitMs: 3000, maxWaitBytes: 1 << 30, freeCores: 1000 } })
    const store = await open()
    // Once the indexer answers, and has had its first 250-ms reading of the machine (until then the gate lets everything through).
    await store.journals!.flush()
    await new Promise((resolve) => setTimeout(resolve, 400))
    const writer = createLogJournalWriter(store.journals!.newJournal(), () => {})
    for (let i = 0; i < 300; i++) {
      writer.began(invocation(`t${i}`))
      writer.enqueue(invocation(`t${i}`))
    }
    writer.writeNow()
    await store.journals!.flush()
    const count = async () => (await store.invocations.query({ functionId: 'fn-j', limit: 500 })).items.length
    await new Promise((resolve) => setTimeout(resolve, 800))
    expect(await count()).toBe(300)
    for (let tries = 0; tries < 300 && (await count()) > 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect(await count()).toBe(100)
    expect(errors).toEqual([])
    writer.close()
  })

  it('replaces an indexer that dies, and loses nothing it had not committed', async () => {
    const { open } = await journaledStore()
    const store = await open()
    const file = store.journals!.newJournal()
    const writer = createLogJournalWriter(file, () => {})
    for (let i = 0; i < 50; i++) {
      writer.began(invocation(`k${i}`))
      writer.enqueue(invocation(`k${i}`))
      writer.writeNow()
    }
    await store.journals!.flush()
    const before = store.journals!.pid
    process.kill(before!, 'SIGKILL')
    for (let i = 50; i < 80; i++) {
      writer.began(invocation(`k${i}`))
      writer.enqueue(invocation(`k${i}`))
      writer.writeNow()
    }
    await store.journals!.flush()
    expect(store.journals!.pid).not.toBe(before)
    expect(await ids(store)).toHaveLength(80)
    expect(statSync(file).size).toBeGreaterThan(0)
    writer.close()
  })
})
