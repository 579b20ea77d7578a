import { afterAll, describe, expect, it } from 'vitest'
import { createGuest, same } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

describe('TextEncoder (compared with Node)', () => {
  it('encodes, including lone surrogates as U+FFFD', async () => {
    const [g, n] = await same(guest, () => {
      const e = new TextEncoder()
      return [e.encoding, ...['', 'abc', 'héllo', '€', '😀', '\ud800', 'a\udc00b', '\ud83d\ude00\ud83d', '\0\x7f\x80\u07ff\u0800\uffff'].map(s => [...e.encode(s)]),
        [...e.encode()], [...e.encode(123 as any)], [...e.encode(undefined)]]
    })
    expect(g).toEqual(n)
  })

  it('encodeInto never writes partial characters', async () => {
    const [g, n] = await same(guest, () => {
      const e = new TextEncoder()
      const out: unknown[] = []
      for (const s of ['abc', 'a€b', '😀x', 'é\ud800']) {
        for (let size = 0; size <= 6; size++) {
          const buf = new Uint8Array(size)
          out.push([e.encodeInto(s, buf), [...buf]])
        }
      }
      return [out, err(() => e.encodeInto('a', [] as any))]
    })
    expect(g).toEqual(n)
  })
})

describe('TextDecoder (compared with Node)', () => {
  it('labels and options', async () => {
    const [g, n] = await same(guest, () => {
      const labels = ['utf-8', 'UTF8', ' unicode-1-1-utf-8\n', 'unicode11utf8', 'x-unicode20utf8']
      const d = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
      return [labels.map(l => new TextDecoder(l).encoding), err(() => new TextDecoder('latin2-bogus')), err(() => new TextDecoder('utf-16x')),
        d.fatal, d.ignoreBOM, new TextDecoder().fatal, new TextDecoder().decode(), new TextDecoder().decode(undefined),
        err(() => new TextDecoder().decode('abc' as any))]
    })
    expect(g).toEqual(n)
  })

  it('replaces invalid sequences exactly like Node (maximal subparts)', async () => {
    const [g, n] = await same(guest, () => {
      const cases = [
        [0xff], [0xc0, 0x80], [0xc2], [0xe2, 0x82], [0xe2, 0x82, 0x41], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0x80],
        [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f, 0x98], [0xf0, 0x9f, 0x98, 0x80], [0x80, 0x80], [0xef, 0xbb, 0xbf, 0x41],
        [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xe0, 0x9f, 0x80], [0xf5, 0x41], [0x41, 0xc3],
      ]
      // deterministic pseudo-random fuzz
      let seed = 7
      const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256
      for (let i = 0; i < 300; i++) cases.push(Array.from({ length: 1 + (i % 9) }, () => (rnd() < 128 ? 0x80 + (rnd() % 0x78) : rnd())))
      return cases.map(c => {
        const bytes = new Uint8Array(c)
        let fatal: string
        try { fatal = new TextDecoder('utf-8', { fatal: true }).decode(bytes) } catch (e) { fatal = (e as Error).name }
        return [new TextDecoder().decode(bytes), new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), fatal]
      })
    })
    expect(g).toEqual(n)
  })

  it('streams across chunk boundaries', async () => {
    const [g, n] = await same(guest, () => {
      const bytes = new TextEncoder().encode('\ufeffa€😀é\u0800z')
      const out: string[] = []
      for (let cut = 0; cut <= bytes.length; cut++) {
        const d = new TextDecoder()
        out.push(d.decode(bytes.subarray(0, cut), { stream: true }) + '|' + d.decode(bytes.subarray(cut)))
        // reuse after a non-stream decode starts fresh (BOM stripped again, pending bytes flushed)
        out.push(d.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x62])) + d.decode(new Uint8Array([0xe2, 0x82]), { stream: true }) + d.decode())
      }
      const buf = new ArrayBuffer(4)
      new Uint8Array(buf).set([0x68, 0x69, 0x21, 0x21])
      return [out, new TextDecoder().decode(buf), new TextDecoder().decode(new DataView(buf, 1, 2)), new TextDecoder().decode(new Uint16Array(buf, 2, 1))]
    })
    expect(g).toEqual(n)
  })

  it('round-trips large text', () => {
    const r = guest.run<string>(`const s = 'x€😀'.repeat(50000); const d = new TextDecoder().decode(new TextEncoder().encode(s)); String(d === s) + d.length`)
    expect(r).toBe('true200000')
  })
})
