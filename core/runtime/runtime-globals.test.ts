import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime({ egress: { allowPrivateNetworks: true } })

describe('globals', () => {
  it('console captures every level with a timestamp, formatting objects readably', async () => {
    const before = Date.now()
    const result = await rt.run(`
      console.log('top level runs at load')
      export default () => {
        console.log('hello', { a: 1, nested: { list: [1, 2, 3] } }, [1, 'two'])
        console.info('info %s=%d', 'n', 42)
        console.warn(new Map([['k', 1]]), new Set([1]))
        console.error(new Error('shown with stack'))
        console.debug(null, undefined, 10n, Symbol('s'), () => 1)
        return 'ok'
      }`)
    expect(result.console.map((line) => line.level)).toEqual(['log', 'log', 'info', 'warn', 'error', 'debug'])
    const messages = result.console.map((line) => line.message)
    expect(messages[0]).toBe('top level runs at load')
    expect(messages[1]).toBe("hello { a: 1, nested: { list: [ 1, 2, 3 ] } } [ 1, 'two' ]")
    expect(messages[2]).toBe('info n=42')
    expect(messages[3]).toMatch(/Map\(1\) \{ 'k' => 1 \}.*Set\(1\) \{ 1 \}/)
    expect(messages[4]).toMatch(/^Error: shown with stack\\n\s+at /)
    expect(messages[5]).toMatch(/^null undefined 10n Symbol\(s\) \[Function/)
    expect(messages.join('\n')).not.toContain('[object Object]')
    for (const line of result.console) expect(line.at).toBeGreaterThanOrEqual(before)
  })

  it('env is a frozen copy of this function’s variables only', async () => {
    const code = `export default () => {
      'use strict'
      let writeFailed = false
      try { env.A = 'changed' } catch { writeFailed = true }
      return { statusCode: 200, body: { a: env.A, keys: Object.keys(env), frozen: Object.isFrozen(env), writeFailed } }
    }`
    const first = await rt.run(code, {}, { id: 'env-1', envVars: { A: 'one', B: 'two' } })
    const second = await rt.run(code, {}, { id: 'env-2', envVars: { A: 'other' } })
    expect(json(first)).toEqual({ a: 'one', keys: ['A', 'B'], frozen: true, writeFailed: true })
    expect(json(second)).toEqual({ a: 'other', keys: ['A'], frozen: true, writeFailed: true })
  })

  it('Web platform APIs behave like the platform', async () => {
    const result = await rt.run(`export default () => {
      const url = new URL('/a/../b?x=1&y=2#h', 'https://user:pw@Example.COM:443/')
      url.searchParams.append('z', 'ä b')
      const enc = new TextEncoder().encode('héllo')
      const dec = new TextDecoder().decode(enc)
      const clone = structuredClone({ d: new Date(0), m: new Map([[1, 2]]), u: new Uint8Array([1]) })
      const bytes = crypto.getRandomValues(new Uint8Array(16))
      const headers = new Headers([['X-A', '1'], ['x-a', '2']])
      return { statusCode: 200, body: {
        href: url.href, host: url.host, params: [...new URLSearchParams('a=1&b=%20c+d')],
        enc: [...enc], dec, b64: btoa('hi!'), unb64: atob('aGkh'),
        clone: [clone.d instanceof Date, clone.m.get(1), clone.u[0]],
        random: bytes.length, distinct: new Set(bytes).size > 4,
        uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID()),
        header: headers.get('x-a'), tz: Intl.DateTimeFormat().resolvedOptions().timeZone,
        self: self === globalThis, micro: typeof queueMicrotask, now: typeof performance.now(),
      } }
    }`)
    expect(result.outcome).toBe('ok')
    expect(json(result)).toEqual({
      href: 'https://user:pw@example.com/b?x=1&y=2&z=%C3%A4+b#h',
      host: 'example.com',
      params: [['a', '1'], ['b', ' c d']],
      enc: [104, 195, 169, 108, 108, 111],
      dec: 'héllo',
      b64: 'aGkh',
      unb64: 'hi!',
      clone: [true, 2, 1],
      random: 16,
      distinct: true,
      uuid: true,
      header: '1, 2',
      tz: 'UTC',
      self: true,
      micro: 'function',
      now: 'number',
    })
  })

  it('setTimeout with a function works within the deadline; string timers are refused', async () => {
    const ok = await rt.run(`export default async () => { const t0 = Date.now(); await new Promise((r) => setTimeout(r, 50)); return String(Date.now() - t0 >= 45) }`)
    expect(text(ok)).toBe('true')
    const refused = await rt.run(`export default () => { setTimeout('globalThis.x = 1', 1); return 'no' }`)
    expect(refused.outcome).toBe('runtime_error')
    expect(refused.error?.message).toMatch(/string code is not allowed/)
  })

  describe('fetch', () => {
    let server: Server
    let base: string
    beforeAll(async () => {
      server = createServer((req, res) => {
        let body = ''
        req.on('data', (chunk) => (body += chunk))
        req.on('end', () => {
          res.setHeader('content-type', 'application/json')
          res.setHeader('set-cookie', ['a=1', 'b=2'])
          res.end(JSON.stringify({ method: req.method, url: req.url, body, auth: req.headers.authorization ?? null }))
        })
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
    })
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

    it('reaches an upstream with method, headers and body, and returns a Response', async () => {
      const result = await rt.run(`export default async () => {
        const res = await fetch('${base}/echo?q=1', { method: 'POST', headers: { authorization: 'Bearer t' }, body: 'ping' })
        return { statusCode: 200, body: { status: res.status, ok: res.ok, type: res.headers.get('content-type'), cookies: res.headers.getSetCookie(), data: await res.json() } }
      }`)
      expect(result.outcome).toBe('ok')
      expect(json(result)).toEqual({
        status: 200,
        ok: true,
        type: 'application/json',
        cookies: ['a=1', 'b=2'],
        data: { method: 'POST', url: '/echo?q=1', body: 'ping', auth: 'Bearer t' },
      })
    })

    it('rejects inside the function with a TypeError the function can catch', async () => {
      const result = await rt.run(`export default async () => {
        try { await fetch('http://127.0.0.1:1/'); return 'no' } catch (e) { return e instanceof TypeError ? 'TypeError: ' + e.message : 'other' }
      }`)
      expect(text(result)).toMatch(/^TypeError: fetch failed/)
      const scheme = await rt.run(`export default async () => { try { await fetch('file:///etc/passwd') } catch (e) { return e.message } }`)
      expect(text(scheme)).toMatch(/only supports http: and https:/)
    })
  })
})

describe('TextEncoder/TextDecoder on large inputs (coded by the host)', () => {
  it('agree with the WHATWG codec on surrogates, BOMs, bad bytes, fatal mode and streaming', async () => {
    const long = 'a'.repeat(600)
    const code = `export default () => {
      const enc = new TextEncoder(), long = ${JSON.stringify(long)}
      const hex = (u8) => Array.from(u8.slice(-8), (b) => b.toString(16)).join(' ')
      const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(long)])
      const bad = new Uint8Array([...enc.encode(long), 0xff, 0x41])
      let fatal = 'no error'
      try { new TextDecoder('utf-8', { fatal: true }).decode(bad) } catch (e) { fatal = e.constructor.name + ': ' + e.message }
      const streaming = new TextDecoder()
      const euro = enc.encode('€')
      const first = streaming.decode(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode(long), euro[0]]), { stream: true })
      const rest = streaming.decode(new Uint8Array([euro[1], euro[2], ...enc.encode(long)]))
      return { statusCode: 200, body: {
        loneSurrogate: hex(enc.encode(long + '\\uD800x')),
        pair: hex(enc.encode(long + '\\uD83D\\uDE00')),
        length: enc.encode(long + 'é').length,
        stripped: new TextDecoder().decode(bom).length,
        kept: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bom).charCodeAt(0),
        replaced: new TextDecoder().decode(bad).slice(-2),
        fatal,
        streamed: (first + rest).length, streamedEuro: (first + rest)[600],
      } }
    }`
    expect(json(await rt.run(code))).toEqual({
      loneSurrogate: '61 61 61 61 ef bf bd 78',
      pair: '61 61 61 61 f0 9f 98 80',
      length: 602,
      stripped: 600,
      kept: 0xfeff,
      replaced: '\uFFFDA',
      fatal: 'TypeError: The encoded data was not valid for encoding utf-8',
      streamed: 1201,
      streamedEuro: '€',
    })
  })
})
