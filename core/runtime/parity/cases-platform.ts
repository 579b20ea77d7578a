// Parity cases: bodies and forms, binary data, streams, crypto and signatures, other globals.
import { fetchCase, type ParityCase } from './parity-case.ts'

const form = (body: string) => ({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
const MULTIPART = '--XyZ\r\nContent-Disposition: form-data; name="title"\r\n\r\nHello\r\n--XyZ\r\nContent-Disposition: form-data; name="upload"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\nline1\nline2\r\n--XyZ--\r\n'
const hex = `const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('')\n`
const enc = `const te = new TextEncoder()\n`

export const PLATFORM_CASES: ParityCase[] = [
  fetchCase('urlencoded form', `const f = await request.formData(); return Response.json({ entries: [...f], name: f.get('name'), tags: f.getAll('tag') })`, [form('name=Ada+L&tag=a&tag=b%20c')]),
  fetchCase('multipart form', `
    const f = await request.formData()
    const file = f.get('upload')
    return Response.json({ title: f.get('title'), file: [file.name, file.type, file.size, await file.text()], isFile: file instanceof File })`,
  [{ method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=XyZ' }, body: MULTIPART }]),
  fetchCase('formData wrong type rejects', `try { await request.formData(); return new Response('parsed') } catch (e) { return new Response(e.name) }`, [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a=1' }]),
  fetchCase('form data object api', `
    const f = new FormData()
    f.append('a', '1'); f.append('a', '2'); f.set('b', new Blob(['xyz'], { type: 'text/plain' }), 'b.txt'); f.delete('zzz')
    const b = f.get('b')
    return Response.json({ all: f.getAll('a'), has: f.has('b'), b: [b.name, b.type, b.size], keys: [...f.keys()] })`),
  fetchCase('formData roundtrip through Request', `
    const f = new FormData(); f.append('k', 'v'); f.append('file', new File(['data'], 'd.bin', { type: 'application/octet-stream' }))
    const back = await new Request('https://x/', { method: 'POST', body: f }).formData()
    return Response.json({ k: back.get('k'), file: [back.get('file').name, await back.get('file').text()] })`),
  fetchCase('text body echo', `return new Response(await request.text(), { headers: { 'content-type': request.headers.get('content-type') ?? 'none' } })`, [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'héllo ✓ 🎉' }]),
  fetchCase('arrayBuffer body', `const b = new Uint8Array(await request.arrayBuffer()); return Response.json({ length: b.length, first: b[0], last: b[b.length - 1] })`, [{ method: 'POST', body: 'abcdef' }]),
  fetchCase('blob body', `const b = await request.blob(); return Response.json({ size: b.size, type: b.type, text: await b.slice(1, 3).text() })`, [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'abcdef' }]),
  fetchCase('body used twice', `await request.text(); try { await request.text(); return new Response('read twice') } catch (e) { return new Response(e.name + ' ' + request.bodyUsed) }`, [{ method: 'POST', body: 'x' }]),
  fetchCase('binary response', `const bytes = new Uint8Array(256).map((_, i) => i); return new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } })`),
  fetchCase('binary from base64', `const raw = atob('iVBORw0KGgo='); return new Response(Uint8Array.from(raw, (c) => c.charCodeAt(0)), { headers: { 'content-type': 'image/png' } })`),
  fetchCase('btoa roundtrip', `return Response.json({ b: btoa('hello:world'), a: atob('aGVsbG8='), err: (() => { try { btoa('✓') } catch (e) { return e.name } })() })`),
  fetchCase('text encoder decoder', `${enc}const bytes = te.encode('€uro'); return Response.json({ bytes: [...bytes], back: new TextDecoder().decode(bytes), bad: new TextDecoder().decode(new Uint8Array([0xff, 0x41])) })`),
  fetchCase('blob response', `return new Response(new Blob(['<p>', 'blob', '</p>'], { type: 'text/html' }))`),
  fetchCase('readable stream response', `${enc}let i = 0
    return new Response(new ReadableStream({ pull(c) { if (i < 5) c.enqueue(te.encode('line ' + i++ + '\\n')); else c.close() } }), { headers: { 'content-type': 'text/plain' } })`),
  fetchCase('stream start enqueue', `${enc}return new Response(new ReadableStream({ start(c) { c.enqueue(te.encode('a')); c.enqueue(te.encode('b')); c.close() } }))`),
  fetchCase('transform stream uppercase', `
    const upper = new TransformStream({ transform(chunk, c) { c.enqueue(chunk.toUpperCase()) } })
    return new Response(new Response('shout this').body.pipeThrough(new TextDecoderStream()).pipeThrough(upper).pipeThrough(new TextEncoderStream()))`),
  fetchCase('identity transform with writer', `${enc}
    const { readable, writable } = new TransformStream()
    const w = writable.getWriter()
    ;(async () => { for (const part of ['one ', 'two ', 'three']) await w.write(te.encode(part)); await w.close() })()
    return new Response(readable)`),
  fetchCase('request body stream echo', `return new Response(request.body, { headers: { 'x-is-stream': String(request.body instanceof ReadableStream) } })`, [{ method: 'POST', body: 'streamed back' }]),
  fetchCase('read stream manually', `
    const reader = request.body.getReader(); let total = 0, chunks = 0
    for (;;) { const { value, done } = await reader.read(); if (done) break; total += value.byteLength; chunks++ }
    return Response.json({ total, gotChunks: chunks > 0 })`, [{ method: 'POST', body: 'x'.repeat(1000) }]),
  fetchCase('async iterate stream', `
    let text = ''; const d = new TextDecoder()
    for await (const chunk of new Response('iterate me').body) text += d.decode(chunk, { stream: true })
    return new Response(text + d.decode())`),
  fetchCase('tee and clone response', `
    const r = new Response('twice'); const c = r.clone()
    const [a, b] = new Response('tee').body.tee()
    return Response.json({ r: await r.text(), c: await c.text(), a: await new Response(a).text(), b: await new Response(b).text() })`),
  fetchCase('writable stream sink', `
    const got = []
    const ws = new WritableStream({ write(chunk) { got.push(chunk) } })
    const w = ws.getWriter(); await w.write('a'); await w.write('b'); await w.close()
    return Response.json({ got, locked: ws.locked })`),
  fetchCase('pipeTo collects', `
    let out = ''
    await new Response('piped data').body.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write(s) { out += s } }))
    return new Response(out)`),
  fetchCase('ReadableStream.from', `${enc}return new Response(ReadableStream.from([te.encode('x'), te.encode('y')]))`),
  fetchCase('sse style stream', `${enc}let n = 0
    return new Response(new ReadableStream({ async pull(c) { await new Promise((r) => setTimeout(r, 1)); if (n < 3) c.enqueue(te.encode('data: ' + n++ + '\\n\\n')); else c.close() } }), { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } })`),
  fetchCase('sha digests', `${hex}${enc}const out = {}
    for (const alg of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) out[alg] = hex(await crypto.subtle.digest(alg, te.encode('parity')))
    return Response.json(out)`),
  fetchCase('hmac sign hex', `${hex}${enc}
    const key = await crypto.subtle.importKey('raw', te.encode(env.SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    const sig = await crypto.subtle.sign('HMAC', key, te.encode('message'))
    return Response.json({ sig: hex(sig), ok: await crypto.subtle.verify('HMAC', key, sig, te.encode('message')), alg: key.algorithm, usages: key.usages, type: key.type })`, undefined, { SECRET: 'k3y' }),
  fetchCase('github webhook check', `${hex}${enc}
    const body = await request.text()
    const key = await crypto.subtle.importKey('raw', te.encode(env.SECRET), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    const expected = 'sha256=' + hex(await crypto.subtle.sign('HMAC', key, te.encode(body)))
    const given = request.headers.get('x-hub-signature-256') ?? ''
    const ok = given.length === expected.length && crypto.subtle.timingSafeEqual(te.encode(given), te.encode(expected))
    return new Response(ok ? 'valid' : 'invalid', { status: ok ? 200 : 401 })`,
  [{ method: 'POST', body: '{"a":1}', headers: { 'x-hub-signature-256': 'sha256=fc4c3b4e4bd9d9c0a9dba45e5a4c7e2c6a3d0b2b8b5a3e2b0a4c7d9e1f2a3b4c' } }], { SECRET: 'gh' }),
  fetchCase('jwt hs256 sign', `${enc}
    const b64u = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')
    const head = b64u(te.encode(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))), body = b64u(te.encode(JSON.stringify({ sub: '42', iat: 1700000000 })))
    const key = await crypto.subtle.importKey('raw', te.encode('secret'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    return new Response(head + '.' + body + '.' + b64u(await crypto.subtle.sign('HMAC', key, te.encode(head + '.' + body))))`),
  fetchCase('aes gcm with fixed key', `${hex}${enc}
    const key = await crypto.subtle.importKey('raw', new Uint8Array(16).fill(7), 'AES-GCM', true, ['encrypt', 'decrypt'])
    const iv = new Uint8Array(12).fill(1)
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, te.encode('top secret'))
    const pt = new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, ct))
    const jwk = await crypto.subtle.exportKey('jwk', key)
    return Response.json({ ct: hex(ct), pt, jwk: { kty: jwk.kty, k: jwk.k, alg: jwk.alg } })`),
  fetchCase('aes cbc with fixed key', `${hex}${enc}
    const key = await crypto.subtle.importKey('raw', new Uint8Array(32).fill(3), { name: 'AES-CBC' }, false, ['encrypt', 'decrypt'])
    const ct = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, key, te.encode('sixteen byte msg!'))
    return Response.json({ ct: hex(ct) })`),
  fetchCase('pbkdf2 and hkdf bits', `${hex}${enc}
    const pw = await crypto.subtle.importKey('raw', te.encode('password'), 'PBKDF2', false, ['deriveBits'])
    const p = await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: te.encode('salt'), iterations: 1000, hash: 'SHA-256' }, pw, 256)
    const ikm = await crypto.subtle.importKey('raw', te.encode('input key'), 'HKDF', false, ['deriveBits'])
    const h = await crypto.subtle.deriveBits({ name: 'HKDF', salt: te.encode('s'), info: te.encode('i'), hash: 'SHA-256' }, ikm, 128)
    return Response.json({ pbkdf2: hex(p), hkdf: hex(h) })`),
  fetchCase('subtle errors', `${enc}
    const names = []
    names.push(await crypto.subtle.importKey('raw', new Uint8Array(5), 'AES-GCM', false, ['encrypt']).then(() => 'ok', (e) => e.name))
    names.push(await crypto.subtle.digest('SHA-999', te.encode('x')).then(() => 'ok', (e) => e.name))
    try { crypto.subtle.timingSafeEqual(new Uint8Array(1), new Uint8Array(2)) ; names.push('ok') } catch (e) { names.push(e.name) }
    return Response.json(names)`),
  fetchCase('ecdsa generate sign verify', `${enc}
    const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])
    const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, te.encode('m'))
    const spki = await crypto.subtle.exportKey('spki', pair.publicKey)
    const pub = await crypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify'])
    return Response.json({ ok: await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pub, sig, te.encode('m')), sigLen: sig.byteLength, alg: pub.algorithm, priv: pair.privateKey.extractable })`),
  fetchCase('random values shape', `const a = crypto.getRandomValues(new Uint8Array(8)); const id = crypto.randomUUID(); return Response.json({ len: a.length, uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id) })`),
  fetchCase('url pattern routing', `
    const routes = [[new URLPattern({ pathname: '/api/users/:id' }), 'user'], [new URLPattern({ pathname: '/api/files/*' }), 'file'], [new URLPattern({ pathname: '/api/:v(v\\\\d)/ping' }), 'ping']]
    for (const [p, name] of routes) { const m = p.exec(request.url); if (m) return Response.json({ name, groups: m.pathname.groups }) }
    return new Response('no route', { status: 404 })`, [{ path: '/api/users/7' }, { path: '/api/files/a/b.txt' }, { path: '/api/v2/ping' }, { path: '/api/zzz' }]),
  fetchCase('url pattern fields', `const p = new URLPattern({ pathname: '/books/:id', search: '*' }); return Response.json({ pathname: p.pathname, protocol: p.protocol, test: p.test({ pathname: '/books/1' }), regexp: p.hasRegExpGroups })`),
  fetchCase('abort controller basics', `
    const c = new AbortController(); const seen = []
    c.signal.addEventListener('abort', () => seen.push('event'))
    c.signal.onabort = () => seen.push('onabort')
    c.abort()
    return Response.json({ aborted: c.signal.aborted, reason: c.signal.reason.name, seen, pre: AbortSignal.abort().reason.name })`),
  fetchCase('event target', `
    const t = new EventTarget(); const log = []
    const h = (e) => log.push(e.type)
    t.addEventListener('a', h); t.addEventListener('a', h); t.dispatchEvent(new Event('a')); t.removeEventListener('a', h); t.dispatchEvent(new Event('a'))
    return Response.json({ log, ce: new CustomEvent('c', { detail: { x: 1 } }).detail })`),
  fetchCase('timers and microtasks', `
    const order = []
    setTimeout(() => order.push('timeout'), 0)
    queueMicrotask(() => order.push('micro'))
    await Promise.resolve().then(() => order.push('promise'))
    await new Promise((r) => setTimeout(r, 20))
    const id = setInterval(() => {}, 1000); clearInterval(id)
    return Response.json(order)`),
  fetchCase('structured clone', `
    const src = { d: new Date(0), m: new Map([[1, 'a']]), s: new Set([1]), re: /x/gi, nested: { arr: [1, { b: 2 }] } }
    const c = structuredClone(src)
    return Response.json({ date: c.d.toISOString(), map: [...c.m], set: [...c.s], re: String(c.re), nested: c.nested, distinct: c.nested !== src.nested })`),
  fetchCase('wait until runs', `ctx.waitUntil(new Promise((r) => setTimeout(r, 10))); ctx.passThroughOnException(); return new Response('responded')`),
  fetchCase('intl utc', `const d = new Date(Date.UTC(2024, 0, 15, 12, 30)); return Response.json({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone, hours: d.getHours(), fmt: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(1234.5) })`),
  fetchCase('dom exception', `const e = new DOMException('m', 'NotFoundError'); return Response.json({ name: e.name, code: e.code, message: e.message, isError: e instanceof Error })`),
]
