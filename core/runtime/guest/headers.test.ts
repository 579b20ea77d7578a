import { afterAll, describe, expect, it } from 'vitest'
import { createGuest, same, TEST_ENTRY } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

describe('Headers (compared with Node)', () => {
  it('is case-insensitive, combines values and iterates sorted and lowercased', async () => {
    const [g, n] = await same(guest, () => {
      const h = new Headers({ 'Content-Type': 'text/plain', 'X-B': '1' })
      h.append('x-b', '2')
      h.append('X-A', '  padded\t')
      h.set('Content-TYPE', 'application/json')
      return [h.get('x-b'), h.get('X-A'), h.has('CONTENT-TYPE'), h.get('missing'), [...h], [...h.keys()], [...h.values()],
        Object.prototype.toString.call(h), Object.prototype.toString.call(h.entries()), h.get('content-type')]
    })
    expect(g).toEqual(n)
  })

  it('keeps set-cookie values separate', async () => {
    const [g, n] = await same(guest, () => {
      const h = new Headers([['Set-Cookie', 'a=1'], ['set-cookie', 'b=2, c'], ['a', 'x']])
      const copy = new Headers(h)
      return [[...h], h.get('set-cookie'), h.getSetCookie(), [...copy], new Headers().getSetCookie()]
    })
    expect(g).toEqual(n)
  })

  it('validates names and values', async () => {
    const [g, n] = await same(guest, () => {
      const h = new Headers()
      return [
        err(() => h.append('bad name', 'x')), err(() => h.append('', 'x')), err(() => h.append('a:b', 'x')),
        err(() => h.set('x', 'a\nb')), err(() => h.set('x', 'a\rb')), err(() => h.set('x', 'a\0b')),
        err(() => h.set('x', 'é')), err(() => h.set('x', '€')), err(() => h.get('bad name')), err(() => h.delete('(x)')),
        err(() => h.set("!#$%&'*+-.^_`|~", 'ok')), err(() => h.set('x', ' a\nb ')), err(() => h.set('x', 'tab\tinside')), h.get('x'),
      ]
    })
    expect(g).toEqual(n)
  })

  it('accepts each init form and rejects malformed ones', async () => {
    const [g, n] = await same(guest, () => {
      const proto = Object.create({ inherited: 'no' })
      proto.own = 'yes'
      return [
        [...new Headers(proto)],
        [...new Headers(new Map([['a', '1']]) as any)],
        [...new Headers([['a', 1], ['b', true]] as any)],
        err(() => new Headers([['a']] as any)),
        err(() => new Headers([['a', 'b', 'c']] as any)),
        err(() => new Headers(['ab'] as any)),
        err(() => new Headers(null as any)),
        err(() => new Headers('a' as any)),
        err(() => new Headers(undefined)),
      ]
    })
    expect(g).toEqual(n)
  })

  it('records take own enumerable keys only (WebIDL; undici also takes non-enumerable ones)', () => {
    expect(guest.run(`const o = { own: 'yes' }; Object.defineProperty(o, 'hidden', { value: 'no' }); JSON.stringify([...new Headers(o)])`))
      .toBe('[["own","yes"]]')
  })

  it('forEach and iterators are live', async () => {
    const [g, n] = await same(guest, () => {
      const h = new Headers({ a: '1', b: '2', c: '3' })
      const seen: string[] = []
      h.forEach((v, k, self) => { seen.push(k + v + (self === h)); if (k === 'a') h.delete('b') })
      const it = h.keys()
      const first = it.next().value
      h.append('d', '4')
      return [seen, first, [...it], typeof it[Symbol.iterator], err(() => h.forEach(null as any))]
    })
    expect(g).toEqual(n)
  })

  it('immutable headers (Response.error and Response.redirect) reject mutation', async () => {
    const [g, n] = await same(guest, () => {
      const e = Response.error().headers
      const r = Response.redirect('https://example.com/x', 301).headers
      return [err(() => e.set('a', 'b')), err(() => e.append('a', 'b')), err(() => e.delete('a')), err(() => r.set('a', 'b')), [...r],
        err(() => Response.redirect('https://example.com/x', 301).clone().headers.set('a', 'b'))]
    })
    expect(g).toEqual(n)
  })
})

describe('platform class identity (minified bundle, no keepNames)', () => {
  it('keeps the WebIDL names, tags and iterator identity', async () => {
    const [g, n] = await same(guest, () => [
      [Headers, Request, Response, URL, URLSearchParams, TextEncoder, TextDecoder, DOMException, atob, btoa, structuredClone].map(f => f.name),
      Headers.prototype[Symbol.iterator] === Headers.prototype.entries, URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries,
      [new Headers(), new Response(), new Request('http://a/'), new URL('http://a/'), new URLSearchParams(), new TextEncoder(), new TextDecoder(), new DOMException()]
        .map(o => Object.prototype.toString.call(o)),
      new Response().constructor === Response,
    ])
    expect(g).toEqual(n)
  })
})

describe('headersFromRecord (the incoming request’s fast path)', () => {
  const fast = createGuest(`${TEST_ENTRY}\nimport { headersFromRecord } from './headers.ts'\nglobalThis.headersFromRecord = headersFromRecord\n`)
  afterAll(() => fast.dispose())

  it('builds exactly what new Headers(record) builds, errors included', () => {
    const outcome = fast.run<string[]>(`(() => {
      const describe = (f) => { try { const h = f(); return JSON.stringify([[...h], h.getSetCookie(), h.get('x-a')]) } catch (e) { return e.name + ': ' + e.message } }
      const records = [
        { 'x-a': 'plain', host: 'localhost', accept: '*/*' },
        { 'X-A': 'Upper', 'x-a': 'lower' },
        { 'x-a': '  padded\\t', 'x-b': 'in ner\\ttab', 'x-c': '' , 'x-d': '\\t' },
        { 'x-a': 'caf\\u00e9 \\u00ff', 'x-b': '\\u0001ctl' },
        { 'x-a': 'wide \\u20ac' },
        { 'x-a': 'bad\\nvalue' },
        { 'bad name': 'v' },
        { 'set-cookie': 'a=1', 'x-a': 'z' },
        JSON.parse('{"__proto__":"p","constructor":"c","get":"g"}'),
      ]
      return records.map((r) => describe(() => headersFromRecord(r)) + ' | ' + describe(() => new Headers(r)))
    })()`)
    for (const line of outcome) {
      const [a, b] = line.split(' | ')
      expect(a).toBe(b)
    }
  })
})
