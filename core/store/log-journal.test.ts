import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { fromWire } from './invocation-wire.ts'
import { BodyPrefix } from './body-prefix.ts'
import { journalName, nextJournalName } from './log-journal.ts'
import { decodeJournalFrame, encodeJournalFrame } from './log-journal-codec.ts'
import { openJournalReader, START } from './log-journal-reader.ts'
import { createLogJournalWriter } from './log-journal-writer.ts'

const invocation = (id: string, extra: Parameters<typeof makeInvocation>[0] = {}) => ({ ...makeInvocation({ id, ...extra }), id })

describe('journal frames', () => {
  it('round-trip every field: text, bytes and absent bodies, non-ASCII text, multi-value headers, console, errors, the rotation marker', () => {
    const a = invocation('a', { requestBody: 'héllo ✓ 𝄞', query: { q: ['1', '2'], x: 'y' }, console: ['line one', 'línea dos'], error: 'boom', outcome: 'runtime_error', status: 500 })
    const b = invocation('b', { requestBody: new Uint8Array([0, 255, 7]), responseHeaders: { 'set-cookie': ['a=1', 'b=2'] } })
    const c = invocation('c', { requestBody: null })
    const frame = encodeJournalFrame([a, b, c], [a, b, c], 'next.000002.journal')
    expect(frame.readUInt32BE(0)).toBe(frame.byteLength - 4)
    const [begunBack, doneBack, rotatedTo] = decodeJournalFrame(Buffer.from(frame.subarray(4)))
    expect(rotatedTo).toBe('next.000002.journal')
    for (let i = 0; i < 3; i++) {
      const row = fromWire([...begunBack[i]!, ...doneBack[i]!.slice(1)] as never)
      const original = [a, b, c][i]!
      expect({ ...row, request: { ...row.request, body: bytesOrText(row.request.body) } }).toEqual({ ...original, request: { ...original.request, body: bytesOrText(original.request.body) } })
    }
    expect(decodeJournalFrame(Buffer.from(encodeJournalFrame([], []).subarray(4)))).toEqual([[], []])
  })

  it('keep the first bodyBytes of a longer body, cut at a character boundary, with its size; read version 2 frames', () => {
    const text = 'héllo wörld ✓✓✓' // 22 bytes
    const a = invocation('a', { requestBody: text, responseBody: 'short' })
    const b = invocation('b', { requestBody: new Uint8Array(100).map((_, i) => i) })
    const frame = Buffer.from(encodeJournalFrame([a, b], [a], undefined, 10).subarray(4))
    const [[begunA, begunB], [doneA]] = decodeJournalFrame(frame)
    const cutText = begunA![10] as BodyPrefix
    expect(cutText).toBeInstanceOf(BodyPrefix)
    expect(cutText.sizeBytes).toBe(Buffer.byteLength(text))
    // 'héllo wö' is 10 bytes; nothing of the next character.
    expect(new TextDecoder('utf-8', { fatal: true }).decode(cutText)).toBe('héllo wö')
    const cutBytes = begunB![10] as BodyPrefix
    expect([cutBytes.sizeBytes, ...cutBytes]).toEqual([100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(doneA![4]).not.toBeInstanceOf(BodyPrefix)
    expect(Buffer.from(doneA![4] as Uint8Array).toString()).toBe('short')
    // A journal written before prefixes existed (version 2, same records) still reads.
    const old = Buffer.from(encodeJournalFrame([a], [a]).subarray(4))
    old[0] = 2
    expect(decodeJournalFrame(old)[0][0]![10]).toBe(text)
  })

  it('refuse malformed bytes with the reason', () => {
    const body = Buffer.from(encodeJournalFrame([invocation('a')], []).subarray(4))
    expect(() => decodeJournalFrame(body.subarray(0, body.byteLength - 3))).toThrow(/runs past the end/)
    expect(() => decodeJournalFrame(Buffer.concat([body, Buffer.from([9])]))).toThrow(/unknown record tag 9/)
    const wrongVersion = Buffer.from(body)
    wrongVersion[0] = 9
    expect(() => decodeJournalFrame(wrongVersion)).toThrow(/unknown journal frame version 9/)
    // Empty objects and lists are read without JSON.parse; the other bracket still is not accepted.
    const listQuery = invocation('b', { query: [] as never })
    expect(() => decodeJournalFrame(Buffer.from(encodeJournalFrame([listQuery], []).subarray(4)))).toThrow(/query is not an object/)
    const objectConsole = { ...invocation('c'), result: { ...invocation('c').result, console: {} as never } }
    expect(() => decodeJournalFrame(Buffer.from(encodeJournalFrame([], [objectConsole]).subarray(4)))).toThrow(/console is not a list/)
  })

  it('name files in series', () => {
    expect(journalName('123-abc', 1)).toBe('123-abc.000001.journal')
    expect(nextJournalName('123-abc.000009.journal')).toBe('123-abc.000010.journal')
    expect(() => nextJournalName('other.txt')).toThrow(/Not a journal file name/)
  })
})

describe('journal writer and reader', () => {
  let dir: string
  const errors: unknown[] = []
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgepad-journal-'))
    errors.length = 0
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('join each result to its record; an invocation without a result stays unfinished', () => {
    const file = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    for (const id of ['a', 'b', 'c']) writer.began(invocation(id))
    writer.writeNow()
    writer.enqueue(invocation('a', { responseBody: 'A' }))
    writer.enqueue(invocation('c', { responseBody: 'C' }))
    writer.writeNow()
    const reader = openJournalReader(file, START)
    const { rows, problems, atEnd } = reader.read(100)
    expect(problems).toEqual([])
    expect(atEnd).toBe(true)
    expect(rows.map((r) => fromWire(r).id)).toEqual(['a', 'c'])
    expect(Buffer.from(fromWire(rows[1]!).result.response.body).toString()).toBe('C')
    expect(reader.unfinished().map((w) => w[0])).toEqual(['b'])
    expect(reader.unreadBytes()).toBe(0)
    writer.close()
    reader.close()
    expect(errors).toEqual([])
  })

  it('write a result on its own within a few ms when no batch comes, including one that arrives after a batch wrote the others', async () => {
    const file = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    const reader = openJournalReader(file, START)
    const resultsOnDisk = async (count: number) => {
      const seen: string[] = []
      for (let waited = 0; seen.length < count && waited < 2000; waited += 5) {
        seen.push(...reader.read(100).rows.map((r) => fromWire(r).id!))
        if (seen.length < count) await new Promise((resolve) => setTimeout(resolve, 5))
      }
      return seen
    }
    writer.began(invocation('a'))
    writer.writeNow()
    writer.enqueue(invocation('a'))
    // A batch writes a's result with b's record; b's result comes after that write, with no batch behind it.
    writer.began(invocation('b'))
    writer.writeNow()
    expect(reader.read(100).rows.map((r) => fromWire(r).id)).toEqual(['a'])
    writer.enqueue(invocation('b'))
    expect(await resultsOnDisk(1)).toEqual(['b'])
    // And again once the timer has fired: the next result arms a new one.
    writer.began(invocation('c'))
    writer.writeNow()
    writer.enqueue(invocation('c'))
    expect(await resultsOnDisk(1)).toEqual(['c'])
    writer.close()
    reader.close()
    expect(errors).toEqual([])
  })

  it('resume from saved progress: earlier records are learned again, earlier results are not returned twice', () => {
    const file = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    for (const id of ['a', 'b']) writer.began(invocation(id))
    writer.enqueue(invocation('a'))
    writer.writeNow()
    const first = openJournalReader(file, START)
    expect(first.read(100).rows.map((r) => r[0])).toEqual(['a'])
    const saved = first.progress()
    // 'b' is still open: a new reader must start at the frame that began it.
    expect(saved.resumeOffset).toBe(0)
    expect(saved.committedOffset).toBe(statSync(file).size)
    first.close()
    writer.began(invocation('c'))
    writer.enqueue(invocation('b'))
    writer.enqueue(invocation('c'))
    writer.writeNow()
    const second = openJournalReader(file, saved)
    expect(second.read(100).rows.map((r) => r[0])).toEqual(['b', 'c'])
    expect(second.unfinished()).toEqual([])
    expect(second.progress().resumeOffset).toBe(statSync(file).size)
    second.close()
    writer.close()
  })

  it('stop at maxRows and go on from there', () => {
    const file = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    for (let i = 0; i < 6; i++) {
      writer.began(invocation(`r${i}`))
      writer.enqueue(invocation(`r${i}`))
      writer.writeNow()
    }
    const reader = openJournalReader(file, START)
    const firstPage = reader.read(4)
    expect(firstPage.rows).toHaveLength(4)
    expect(firstPage.atEnd).toBe(false)
    const secondPage = reader.read(4)
    expect(secondPage.rows.map((r) => r[0])).toEqual(['r4', 'r5'])
    expect(secondPage.atEnd).toBe(true)
    reader.close()
    writer.close()
  })

  it('read frames that straddle the read chunk and frames larger than it, bytes intact', () => {
    const file = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    // ~40 KB frames cross every 256 KB chunk boundary somewhere; the 600 KB one is larger than a chunk.
    const sizes = [40_000, 40_000, 40_000, 40_000, 40_000, 40_000, 40_000, 600_000, 40_000, 40_000, 40_000]
    sizes.forEach((size, i) => {
      writer.began(invocation(`r${i}`))
      writer.enqueue(invocation(`r${i}`, { responseBody: String.fromCharCode(97 + i).repeat(size) }))
      writer.writeNow()
    })
    expect(statSync(file).size).toBeGreaterThan(1_000_000)
    const reader = openJournalReader(file, START)
    const { rows, problems, atEnd } = reader.read(100)
    expect(problems).toEqual([])
    expect(atEnd).toBe(true)
    expect(rows.map((r) => r[0])).toEqual(sizes.map((_, i) => `r${i}`))
    rows.forEach((row, i) => expect(Buffer.from(fromWire(row).result.response.body).toString()).toBe(String.fromCharCode(97 + i).repeat(sizes[i]!)))
    expect(reader.unreadBytes()).toBe(0)
    reader.close()
    writer.close()
    expect(errors).toEqual([])
  })

  it('rotate past the size limit: the marker names the next file, which carries the unfinished records', () => {
    const first = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(first, (e) => errors.push(e), { rotateBytes: 1 })
    writer.began(invocation('open'))
    writer.writeNow()
    // The first write already passed the 1-byte limit: the worker went on in file 2.
    expect(readdirSync(dir).sort()).toEqual([journalName('w', 1), journalName('w', 2)])
    writer.enqueue(invocation('open', { responseBody: 'late' }))
    writer.writeNow()
    const one = openJournalReader(first, START)
    expect(one.read(100)).toMatchObject({ rows: [], problems: [], atEnd: true })
    expect(one.rotatedTo).toBe(journalName('w', 2))
    one.close()
    const two = openJournalReader(join(dir, journalName('w', 2)), START)
    const { rows } = two.read(100)
    expect(rows.map((r) => r[0])).toEqual(['open'])
    expect(Buffer.from(fromWire(rows[0]!).result.response.body).toString()).toBe('late')
    two.close()
    writer.close()
    expect(errors).toEqual([])
  })

  it('leave a frame cut short unread, and report a corrupt one and skip what follows it', () => {
    const file = join(dir, journalName('w', 1))
    const writer = createLogJournalWriter(file, (e) => errors.push(e))
    writer.began(invocation('a'))
    writer.enqueue(invocation('a'))
    writer.writeNow()
    writer.close()
    const whole = statSync(file).size
    const frame = encodeJournalFrame([invocation('b')], [])
    appendFileSync(file, frame.subarray(0, 20))
    const reader = openJournalReader(file, START)
    expect(reader.read(100)).toMatchObject({ problems: [], atEnd: true })
    expect(reader.progress().committedOffset).toBe(whole)
    expect(reader.unreadBytes()).toBe(20)
    reader.close()

    const bad = join(dir, journalName('x', 1))
    appendFileSync(bad, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]))
    const corrupt = openJournalReader(bad, START)
    const result = corrupt.read(100)
    expect(result.problems.join()).toMatch(/corrupt frame length 4294967295 at offset 0/)
    expect(corrupt.unreadBytes()).toBe(0)
    corrupt.close()
  })
})

function bytesOrText(body: unknown): unknown {
  return body instanceof Uint8Array ? [...body] : body
}
