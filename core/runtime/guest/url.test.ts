import { afterAll, describe, expect, it } from 'vitest'
import { createGuest, same } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

const COMPONENTS = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash']

describe('URL (host-backed, compared with Node)', () => {
  it('parses absolute and relative URLs with every component', async () => {
    const [g, n] = await same(guest, () => {
      const cases: [string, string?][] = [
        ['https://user:pa ss@EXAMPLE.com:443/a/./b/../c?q=1 2#frag'], ['http://[::1]:8080/'], ['file:///tmp/x'], ['../x?y#z', 'http://h/a/b/c'],
        ['//other/p', 'https://h/'], ['mailto:a@b.c'], ['blob:https://a.com/uuid'], ['http://xn--nxasmq6b.com/'], ['http://ü.com/ä?ö#ü'],
        ['data:text/plain,hi there'], ['HTTP://A.COM:80/%7e'], ['  http://trim.me/  '],
      ]
      const keys = ['href', 'origin', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'] as const
      return cases.map(([u, b]) => { const url = new URL(u, b); return keys.map(k => url[k]) })
    })
    expect(g).toEqual(n)
  })

  it('rejects invalid URLs with TypeError and supports canParse/parse', async () => {
    const [g, n] = await same(guest, () => {
      const bad = ['', 'nope', 'http://', 'http://a b/', '/relative', 'http://[::1/']
      return [bad.map(u => err(() => new URL(u))), err(() => new URL('x', 'not a base')), err(() => new (URL as any)()),
        bad.map(u => URL.canParse(u)), URL.canParse('/a', 'http://h'), URL.parse('nope'), URL.parse('/a', 'http://h')?.href,
        (() => { try { new URL('nope') } catch (e) { return (e as Error).message } })()]
    })
    expect(g).toEqual(n)
  })

  it('applies setters exactly like Node', async () => {
    const [g, n] = await same(guest, () => {
      const sets: [string, string][] = [
        ['protocol', 'http'], ['protocol', 'ftp:'], ['protocol', 'bad proto'], ['username', 'us er'], ['password', 'p@ss'], ['host', 'new.host:99'],
        ['hostname', 'only.name'], ['port', '8080'], ['port', 'abc'], ['port', ''], ['pathname', '/x y/z'], ['search', 'a=1&b=2'],
        ['search', '?'], ['search', ''], ['hash', 'h1'], ['hash', ''], ['href', 'http://replaced.com/'],
      ]
      return sets.map(([k, v]) => { const u = new URL('https://u:p@example.com:8443/p?q#h'); (u as any)[k] = v; return u.href })
    })
    expect(g).toEqual(n)
  })

  it('invalid href setter throws and leaves the URL unchanged', async () => {
    const [g, n] = await same(guest, () => {
      const u = new URL('http://a.com/')
      return [err(() => { u.href = 'not a url' }), u.href, String(u), u.toJSON(), JSON.stringify({ u }), Object.prototype.toString.call(u)]
    })
    expect(g).toEqual(n)
  })

  it('keeps searchParams linked both ways', async () => {
    const [g, n] = await same(guest, () => {
      const u = new URL('http://a.com/p?x=1&y=2#frag')
      const sp = u.searchParams
      const out: unknown[] = [sp === u.searchParams, sp.get('x')]
      sp.append('z', 'a b&c')
      out.push(u.href, u.search)
      sp.delete('x'); sp.delete('y'); sp.delete('z')
      out.push(u.href)
      u.search = '?k=v&k=w'
      out.push(sp.getAll('k'), sp.size)
      u.href = 'http://b.com/?n=1'
      out.push(sp.get('n'), sp.has('k'))
      sp.sort()
      out.push(u.href)
      const o = new URL('http://a.com/?')
      o.searchParams.sort()
      out.push(o.href)
      return out
    })
    expect(g).toEqual(n)
  })

  it('has every component as an accessor on the prototype', () => {
    const r = guest.run<string>(`JSON.stringify(${JSON.stringify(COMPONENTS)}.map(k => typeof Object.getOwnPropertyDescriptor(URL.prototype, k).get))`)
    expect(JSON.parse(r)).toEqual(COMPONENTS.map(() => 'function'))
  })
})
