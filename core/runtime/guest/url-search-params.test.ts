import { afterAll, describe, expect, it } from 'vitest'
import { createGuest, same } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

describe('URLSearchParams (compared with Node)', () => {
  it('parses application/x-www-form-urlencoded', async () => {
    const [g, n] = await same(guest, () => {
      const inputs = ['', '?', '?a=1', 'a=1&a=2&b', '&&a=&=b&', 'a+b=c+d', 'a%20b=%41%2x%zz%', '%E2%82%AC=%F0%9F%98%80', '%FF=%C3', 'x=%e2%82',
        'é=ü', '?%3F=%26', 'a==b', '\ud800=x', '%00=1']
      return inputs.map(s => [...new URLSearchParams(s)])
    })
    expect(g).toEqual(n)
  })

  it('serializes exactly', async () => {
    const [g, n] = await same(guest, () => {
      const p = new URLSearchParams()
      for (const s of ['a b', '*-._', '~!\'()', '&=+%', 'é€😀', '\n\t', '\ud800', 'AZaz09', '/?#[]@']) p.append(s, s)
      return [p.toString(), String(new URLSearchParams({ x: '1', y: ['a', 'b'] as any }))]
    })
    expect(g).toEqual(n)
  })

  it('supports every init form', async () => {
    const [g, n] = await same(guest, () => {
      const base = new URLSearchParams('a=1&b=2')
      return [
        [...new URLSearchParams(base)], [...new URLSearchParams({ a: '1', b: 2 } as any)], [...new URLSearchParams([['a', '1'], ['a', '2']])],
        [...new URLSearchParams(new Map([['m', 'n']]))], [...new URLSearchParams(undefined)], [...new URLSearchParams(null as any)],
        [...new URLSearchParams(12 as any)], err(() => new URLSearchParams([['a']] as any)), err(() => new URLSearchParams([1] as any)),
      ]
    })
    expect(g).toEqual(n)
  })

  it('mutators, queries and iteration', async () => {
    const [g, n] = await same(guest, () => {
      const p = new URLSearchParams('c=3&a=1&b=2&a=4&a=1')
      const out: unknown[] = [p.get('a'), p.getAll('a'), p.get('zz'), p.has('a'), p.has('a', '4'), p.has('a', '9'), p.size]
      p.delete('a', '1'); out.push(p.toString())
      p.set('a', 'x'); out.push(p.toString())
      p.set('new', 'y'); out.push(p.toString())
      p.append('b', '0'); p.sort(); out.push(p.toString())
      p.delete('b'); out.push(p.toString(), p.size)
      const seen: string[] = []
      p.forEach((v, k, self) => seen.push(`${k}=${v}:${self === p}`))
      out.push(seen, [...p.keys()], [...p.values()], [...p.entries()], Object.prototype.toString.call(p.keys()), Object.prototype.toString.call(p))
      const q = new URLSearchParams('z=1&y=2&z=0&x=3')
      q.sort()
      out.push(q.toString(), err(() => p.forEach(1 as any)))
      const live = new URLSearchParams('a=1&b=2')
      const it = live.keys(); it.next(); live.append('c', '3')
      out.push([...it])
      return out
    })
    expect(g).toEqual(n)
  })
})
