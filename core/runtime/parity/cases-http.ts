// Parity cases: routing, JSON APIs, headers, CORS, redirects, cookies, status handling, HTML.
import { fetchCase, type ParityCase } from './parity-case.ts'

const json = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body })

export const HTTP_CASES: ParityCase[] = [
  fetchCase('hello text', `return new Response('Hello, world')`),
  fetchCase('json helper', `return Response.json({ ok: true, n: [1, 2, 3], nested: { a: null } })`),
  fetchCase('json with status and headers', `return Response.json({ error: 'nope' }, { status: 404, headers: { 'x-reason': 'missing' } })`),
  fetchCase('echo url parts', `const u = new URL(request.url); return Response.json({ path: u.pathname, search: u.search, q: u.searchParams.getAll('q'), method: request.method })`, [{ path: '/a/b?q=1&q=2&x=%20y' }, { path: '/' }]),
  fetchCase('router', `
    const { pathname } = new URL(request.url)
    const m = pathname.match(/^\\/users\\/(\\d+)$/)
    if (request.method === 'GET' && pathname === '/') return new Response('home')
    if (request.method === 'GET' && m) return Response.json({ id: Number(m[1]) })
    if (request.method === 'POST' && pathname === '/users') return Response.json({ created: await request.json() }, { status: 201 })
    return new Response('Not found', { status: 404 })`, [{ path: '/' }, { path: '/users/42' }, { path: '/users', ...json('{"name":"ada"}') }, { path: '/nope' }]),
  fetchCase('method not allowed', `if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } }); return new Response('ok')`, [{}, { method: 'DELETE' }, { method: 'PUT', body: 'x' }]),
  fetchCase('json api validation', `
    let data
    try { data = await request.json() } catch { return Response.json({ error: 'invalid json' }, { status: 400 }) }
    if (typeof data.email !== 'string' || !data.email.includes('@')) return Response.json({ error: 'email required' }, { status: 422 })
    return Response.json({ ok: true, email: data.email.toLowerCase() })`, [json('{"email":"A@B.C"}'), json('{nope'), json('{"email":3}')]),
  fetchCase('headers echo selected', `return Response.json({ ua: request.headers.get('x-client'), missing: request.headers.get('x-none'), has: request.headers.has('X-CLIENT'), ct: request.headers.get('content-type') })`, [{ headers: { 'x-client': 'parity/1' } }]),
  fetchCase('headers object api', `
    const h = new Headers({ 'X-B': '2', 'x-a': '1' })
    h.append('x-a', 'again'); h.set('X-C', ' spaced '); h.delete('x-b')
    return Response.json({ entries: [...h], get: h.get('x-a'), keys: [...h.keys()] })`),
  fetchCase('cors preflight', `
    const cors = { 'access-control-allow-origin': request.headers.get('origin') ?? '*', 'access-control-allow-methods': 'GET,POST,OPTIONS', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '86400', vary: 'Origin' }
    if (request.method === 'OPTIONS') return new Response(null, { status: 204, headers: cors })
    return Response.json({ ok: true }, { headers: cors })`, [{ method: 'OPTIONS', headers: { origin: 'https://app.example' } }, { headers: { origin: 'https://app.example' } }]),
  fetchCase('redirect helper', `return Response.redirect('https://example.com/new?x=1', 301)`),
  fetchCase('redirect default 302', `return Response.redirect(new URL('/login', request.url).toString())`),
  fetchCase('redirect manual headers', `return new Response(null, { status: 307, headers: { location: '/elsewhere' } })`),
  fetchCase('set multiple cookies', `
    const h = new Headers({ 'content-type': 'text/plain' })
    h.append('set-cookie', 'a=1; Path=/; HttpOnly')
    h.append('set-cookie', 'b=2; Max-Age=60; Secure; SameSite=Lax')
    return new Response('cookies', { headers: h })`),
  fetchCase('read cookies', `
    const cookies = Object.fromEntries((request.headers.get('cookie') ?? '').split(';').filter(Boolean).map((c) => c.trim().split('=')))
    return Response.json({ cookies, getSetCookie: new Headers([['set-cookie', 'x=1'], ['set-cookie', 'y=2']]).getSetCookie() })`, [{ headers: { cookie: 'session=abc; theme=dark' } }, {}]),
  fetchCase('status text', `return new Response('teapot', { status: 418, statusText: "I'm a teapot" })`),
  fetchCase('no content', `return new Response(null, { status: 204 })`),
  fetchCase('custom 500', `return new Response('boom', { status: 503, headers: { 'retry-after': '30' } })`),
  fetchCase('html page', `
    const name = new URL(request.url).searchParams.get('name') ?? 'world'
    const esc = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
    return new Response('<!doctype html><h1>Hello ' + esc(name) + '</h1>', { headers: { 'content-type': 'text/html;charset=UTF-8' } })`, [{ path: '/?name=<b>Ada</b>' }]),
  fetchCase('cache headers', `return new Response('cached', { headers: { 'cache-control': 'public, max-age=3600', etag: '"v1"' } })`),
  fetchCase('conditional etag', `
    if (request.headers.get('if-none-match') === '"v1"') return new Response(null, { status: 304, headers: { etag: '"v1"' } })
    return new Response('fresh', { headers: { etag: '"v1"' } })`, [{}, { headers: { 'if-none-match': '"v1"' } }]),
  fetchCase('env binding', `return Response.json({ greeting: env.GREETING, keys: Object.keys(env).sort() })`, undefined, { GREETING: 'hi' }),
  fetchCase('module state persists', `return new Response('ok')`),
  { name: 'module level counter', code: `let n = 0\nexport default { fetch() { n++; return Response.json({ positive: n > 0 }) } }`, requests: [{}, {}] },
  fetchCase('thrown error becomes 500', `if (new URL(request.url).pathname === '/ok') return new Response('fine'); return new Response('handled', { status: 500 })`, [{ path: '/ok' }, { path: '/x' }]),
  fetchCase('request clone and method', `
    const copy = request.clone()
    return Response.json({ a: await request.text(), b: await copy.text(), used: [request.bodyUsed, copy.bodyUsed], method: copy.method })`, [{ method: 'POST', body: 'same body' }]),
  fetchCase('new Request from request', `
    const r = new Request(request, { headers: { 'x-added': '1' } })
    const r2 = new Request('https://api.example.com/v1?x=1', { method: 'PUT', body: 'data' })
    return Response.json({ url: r.url === request.url, added: r.headers.get('x-added'), r2: [r2.url, r2.method, r2.headers.get('content-type'), await r2.text()] })`),
  fetchCase('response properties', `
    const r = new Response('x', { status: 201 })
    const e = Response.error()
    return Response.json({ ok: r.ok, status: r.status, type: r.type, bodyUsed: r.bodyUsed, redirected: r.redirected, url: r.url, errorType: e.type, errorStatus: e.status, ct: r.headers.get('content-type') })`),
  fetchCase('invalid status throws', `try { new Response('x', { status: 99 }); return new Response('no throw') } catch (e) { return new Response(e.constructor.name) }`),
  fetchCase('url search params api', `
    const p = new URLSearchParams('a=1&b=2&a=3')
    p.append('c', 'x y'); p.delete('b'); p.sort()
    return Response.json({ s: p.toString(), all: p.getAll('a'), size: p.size, has: p.has('c') })`),
  fetchCase('url manipulation', `
    const u = new URL('https://user:pw@example.com:8080/a/../b/./c?x=1#frag')
    u.searchParams.set('y', '2'); u.hash = ''
    const rel = new URL('../up', 'https://example.com/a/b/c')
    return Response.json({ href: u.href, origin: u.origin, host: u.host, rel: rel.href, canParse: URL.canParse('nope') })`),
  fetchCase('query routing api', `
    const u = new URL(request.url)
    const page = Number(u.searchParams.get('page') ?? '1'), size = Math.min(50, Number(u.searchParams.get('size') ?? '10'))
    const items = Array.from({ length: size }, (_, i) => (page - 1) * size + i)
    return Response.json({ page, size, items }, { headers: { link: '<' + u.pathname + '?page=' + (page + 1) + '>; rel="next"' } })`, [{ path: '/items?page=3&size=4' }]),
]
