import { afterAll, describe, expect, it } from 'vitest'
import { both, createGuest, same } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

describe('harness', () => {
  it('really runs the scenario in both realms', async () => {
    const r = await both(guest, () => typeof (globalThis as any).process)
    expect(r).toEqual({ node: 'object', guest: 'undefined' })
  })
})

describe('Body / Response (compared with Node)', () => {
  it('extracts bodies and default content types', async () => {
    const [g, n] = await same(guest, async () => {
      const u8 = new Uint8Array([1, 2, 3, 4])
      const inits: unknown[] = ['héllo', u8.buffer, u8.subarray(1, 3), new DataView(u8.buffer, 2), new URLSearchParams('a=1&b=é'), null, undefined, 42, { toString: () => 'obj' }]
      const out: unknown[] = []
      for (const body of inits) {
        const r = new Response(body as any)
        out.push([r.headers.get('content-type'), [...new Uint8Array(await r.arrayBuffer())], r.bodyUsed])
      }
      const typed = new Response('x', { headers: { 'Content-Type': 'text/html' } })
      out.push(typed.headers.get('content-type'))
      // the body is a copy: later mutation of the source does not leak in
      const src = new Uint8Array([9]); const r = new Response(src); src[0] = 0
      out.push([...await r.bytes()])
      return out
    })
    expect(g).toEqual(n)
  })

  it('readers: text (BOM stripped), json, bytes; second read rejects; null bodies re-read', async () => {
    const [g, n] = await same(guest, async () => {
      const rej = (p: Promise<unknown>) => p.then(() => 'ok', e => (e as Error).name)
      const r = new Response('\ufeff{"a":[1,2]}')
      const out: unknown[] = [r.bodyUsed, await r.json(), r.bodyUsed, await rej(r.text()), await rej(r.arrayBuffer()), await rej(r.bytes())]
      const empty = new Response(null)
      out.push(await empty.text(), await empty.text(), empty.bodyUsed, empty.body)
      out.push(await rej(new Response('{bad').json()))
      out.push(await new Response(new Uint8Array([0xff, 0x41])).text())
      const bytes = await new Response('ab').bytes()
      out.push(bytes.constructor.name, [...bytes])
      return out
    })
    expect(g).toEqual(n)
  })

  it('status, statusText, ok, type and validation', async () => {
    const [g, n] = await same(guest, () => {
      const d = new Response()
      const props = (r: Response) => [r.status, r.statusText, r.ok, r.type, r.url, r.redirected, [...r.headers]]
      return [
        props(d), props(new Response('x', { status: 404, statusText: 'Nope' })), props(new Response(null, { status: 204 })),
        err(() => new Response(null, { status: 199 })), err(() => new Response(null, { status: 600 })), err(() => new Response(null, { status: 0 })),
        err(() => new Response('x', { status: 204 })), err(() => new Response('x', { status: 205 })), err(() => new Response('x', { status: 304 })),
        err(() => new Response('', { status: 204 })), err(() => new Response(null, { statusText: 'bad\n' })), err(() => new Response(null, { statusText: 'é€' })),
        new Response(null, { status: 65736 }).status, err(() => new Response(null, { status: 'abc' as any })), new Response(null, { status: 201.9 }).status,
        props(new Response(null, { headers: [['a', '1']] })), props(new Response(null, null as any)),
      ]
    })
    expect(g).toEqual(n)
  })

  it('Response.json, Response.redirect, Response.error', async () => {
    const [g, n] = await same(guest, async () => {
      const j = Response.json({ a: 1, b: 'é' }, { status: 201, headers: { 'x-a': '1' } })
      const j2 = Response.json([1], { headers: { 'content-type': 'application/vnd+json' } })
      const r = Response.redirect('https://example.com/a b', 307)
      const e = Response.error()
      return [
        j.status, [...j.headers], await j.text(), [...j2.headers], await Response.json(null).text(),
        err(() => Response.json(undefined)), err(() => Response.json(() => 1)), err(() => Response.json(1n)), err(() => Response.json({}, { status: 204 })),
        r.status, [...r.headers], r.type, err(() => Response.redirect('/relative')), err(() => Response.redirect('https://a.com/', 200 as any)),
        Response.redirect('https://a.com/').status, err(() => Response.redirect('https://a.com/', 399 as any)),
        e.status, e.type, e.ok, e.statusText, e.body, await e.text(), e.clone().type, e.clone().status,
      ]
    })
    expect(g).toEqual(n)
  })

  it('clone shares the body and refuses a used one', async () => {
    const [g, n] = await same(guest, async () => {
      const r = new Response('data', { status: 202, statusText: 'A', headers: { a: '1' } })
      const c = r.clone()
      c.headers.set('a', '2')
      const out: unknown[] = [await r.text(), await c.text(), r.headers.get('a'), c.status, c.statusText, err(() => r.clone())]
      return out
    })
    expect(g).toEqual(n)
  })

  it('bodyBytesOf reads without consuming', () => {
    const r = guest.run<string>(`const r = new Response('hé'); JSON.stringify([[...bodyBytesOf(r)], r.bodyUsed, bodyBytesOf(new Response()), bodyBytesOf(new Request('http://a/', { method: 'POST', body: 'x' }))[0]])`)
    expect(JSON.parse(r)).toEqual([[104, 195, 169], false, null, 120])
  })
})

describe('Request (compared with Node)', () => {
  it('normalizes methods and rejects forbidden ones', async () => {
    const [g, n] = await same(guest, () => {
      const ms = ['get', 'Post', 'put', 'delete', 'options', 'head', 'Patch', 'PATCH', 'custom', 'M-SEARCH']
      return [ms.map(m => new Request('http://a/', { method: m }).method),
        ['CONNECT', 'trace', 'Track', 'bad method', '', 'é'].map(m => err(() => new Request('http://a/', { method: m })))]
    })
    expect(g).toEqual(n)
  })

  it('resolves the URL and validates inputs', async () => {
    const [g, n] = await same(guest, () => {
      const r = new Request('HTTP://Example.com/a/../b?x#y')
      return [r.url, r.method, r.redirect, [...r.headers], r.bodyUsed, r.body, Object.prototype.toString.call(r),
        err(() => new Request('/relative')), err(() => new Request('http://a/', { body: 'x' })), err(() => new Request('http://a/', { method: 'HEAD', body: 'x' })),
        err(() => new Request('http://a/', { redirect: 'nope' as any })), new Request('http://a/', { redirect: 'manual' }).redirect,
        new Request(new URL('http://u.com/p') as any).url, err(() => new (Request as any)()), new Request('http://a/', { body: null }).method]
    })
    expect(g).toEqual(n)
  })

  it('bodies, headers, clone and construction from another Request', async () => {
    const [g, n] = await same(guest, async () => {
      const post = new Request('http://a/x', { method: 'POST', body: 'payload', headers: { 'X-A': '1' } })
      const out: unknown[] = [[...post.headers], post.bodyUsed]
      const c = post.clone()
      out.push(await c.text(), c.method, c.url, [...c.headers])
      const copy = new Request(post)
      out.push(post.bodyUsed, copy.bodyUsed, copy.method, await copy.text(), err(() => new Request(post)), err(() => post.clone()))
      const withInit = new Request(new Request('http://a/', { method: 'PUT', body: 'b', headers: { h: '1' } }), { headers: { g: '2' }, body: 'override' })
      out.push([...withInit.headers], await withInit.text())
      out.push(err(() => new Request(new Request('http://a/', { method: 'POST', body: 'x' }), { method: 'GET' })))
      // a used input is fine when init supplies a new body
      const reused = new Request(post, { body: 'fresh' })
      out.push(await reused.text(), reused.method)
      const form = new Request('http://a/', { method: 'POST', body: new URLSearchParams('a=1') })
      out.push(form.headers.get('content-type'), await form.text())
      const json = await new Request('http://a/', { method: 'POST', body: '{"k":true}' }).json()
      out.push(json, await new Request('http://a/').text())
      return out
    })
    expect(g).toEqual(n)
  })

  it('signal is a never-aborting placeholder unless one is passed in', () => {
    const r = guest.run<string>(`const s = { aborted: true }; JSON.stringify([new Request('http://a/').signal.aborted, new Request('http://a/', { signal: s }).signal === s, new Request(new Request('http://a/', { signal: s })).signal === s])`)
    expect(JSON.parse(r)).toEqual([false, true, true])
  })
})
