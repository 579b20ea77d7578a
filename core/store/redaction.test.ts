import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { captureBody } from './body-capture.ts'
import { BodyPrefix } from './body-prefix.ts'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'
import { REDACTED, redactHeaders, secretsInHeaderValue, textRedactor } from './redaction.ts'

let t: TempStore | undefined
afterEach(async () => {
  await t?.cleanup()
  t = undefined
})

describe('redaction helpers', () => {
  it('scrubs every occurrence, longest secret first, and ignores values too short to be meaningful', () => {
    const redact = textRedactor(['abcd', 'abcdefgh', '42'])
    expect(redact('x abcdefgh y abcd z 42')).toBe(`x ${REDACTED} y ${REDACTED} z 42`)
    expect(textRedactor([])('untouched')).toBe('untouched')
  })

  it('covers overlapping secrets with one marker, and finds secrets only in the text as given', () => {
    const redact = textRedactor(['abcd', 'bcdefg'])
    // Replacing 'abcd' first would have left 'efg', the tail of the other secret.
    expect(redact('x abcdefg y')).toBe(`x ${REDACTED} y`)
    expect(redact('abcdabcd')).toBe(`${REDACTED}${REDACTED}`)
    // 'ED]xy' only appears once 'abcdefgh' has been replaced: it is not the function's text.
    expect(textRedactor(['abcdefgh', 'ED]xy'])('abcdefghxy')).toBe(`${REDACTED}xy`)
  })

  it('keeps of a prefix only what no secret cut off by its end can reach', () => {
    const redact = textRedactor(['secret-1234'])
    expect(redact.longest).toBe(11)
    // The prefix ends inside a secret: its start is dropped, not kept.
    expect(redact.safePrefix('abc secret-12')).toBe('abc')
    // A secret found whole is replaced even where it runs into the last longest-1 characters.
    expect(redact.safePrefix('ab secret-1234 c')).toBe(`ab ${REDACTED}`)
    expect(redact.safePrefix('0123456789abcdef')).toBe('012345')
    expect(textRedactor([]).safePrefix('all of it')).toBe('all of it')
  })

  it('extracts the credential of auth headers and cookie values', () => {
    expect(secretsInHeaderValue('authorization', 'Bearer tok-123')).toEqual(['Bearer tok-123', 'tok-123'])
    expect(secretsInHeaderValue('cookie', 'a=one1; sid=xyz789')).toEqual(['a=one1; sid=xyz789', 'one1', 'xyz789'])
    expect(secretsInHeaderValue('set-cookie', 'sid=xyz789; Path=/; HttpOnly')).toEqual(['sid=xyz789; Path=/; HttpOnly', 'xyz789'])
  })

  it('redacts secret headers whole, including repeated set-cookie', () => {
    const headers = redactHeaders({ 'Set-Cookie': ['a=1', 'b=2'], 'x-trace': 'tok-123' }, new Set(['set-cookie']), textRedactor(['tok-123']))
    expect(headers).toEqual({ 'Set-Cookie': [REDACTED, REDACTED], 'x-trace': REDACTED })
  })
})

describe('body capture', () => {
  const none = textRedactor([])
  it('caps text bodies at a character boundary and records truncation and size', () => {
    const body = 'é'.repeat(100) // 200 bytes
    const captured = captureBody(body, 51, none)
    expect(captured).toMatchObject({ truncated: true, sizeBytes: 200 })
    expect(captured.value).toBe('é'.repeat(25))
    expect(captureBody('short', 51, none)).toEqual({ value: 'short', truncated: false, sizeBytes: 5 })
    expect(captureBody(null, 51, none)).toEqual({ value: null, truncated: false, sizeBytes: 0 })
  })

  it('decodes UTF-8 bytes as text and keeps binary as bytes', () => {
    expect(captureBody(Buffer.from('{"a":1}'), 100, none).value).toBe('{"a":1}')
    const binary = captureBody(new Uint8Array([0xff, 0xfe, 0x00, 0x01, 0x02]), 3, none)
    expect(Buffer.isBuffer(binary.value)).toBe(true)
    expect([...(binary.value as Buffer)]).toEqual([0xff, 0xfe, 0x00])
    expect(binary.truncated).toBe(true)
    // A multi-byte character cut by the decode window is not mistaken for binary.
    const long = Buffer.from('€'.repeat(5000))
    const text = captureBody(long, 100, none)
    expect(typeof text.value).toBe('string')
    expect(text.truncated).toBe(true)
  })

  it('redacts a secret that straddles the cap instead of keeping its first half', () => {
    const secret = 'SECRET-VALUE-123456'
    const body = 'x'.repeat(90) + secret + 'y'.repeat(1000)
    const captured = captureBody(body, 100, textRedactor([secret]))
    expect(captured.value).toBe('x'.repeat(90) + REDACTED)
    expect(captured.truncated).toBe(true)
  })

  // Redaction shrinks what it scans (a 32-character token becomes a 10-character marker), so the
  // prefix scanned for the cap can end inside a secret and still come out shorter than the cap.
  it('never keeps part of a secret cut off by the scanned prefix, however much redaction shrank it', () => {
    const secret = 'TOKEN-abcdefghijklmnopqrstuvwxyz'
    const body = 'xx' + `${secret},`.repeat(200)
    const redact = textRedactor([secret])
    for (const given of [body, Buffer.from(body)]) {
      const captured = captureBody(given, 100, redact)
      expect(captured.value).not.toContain('TOKEN')
      // Still a full cap's worth of the body: markers and commas.
      expect(captured.value).toBe(('xx' + `${REDACTED},`.repeat(10)).slice(0, 100))
      expect(captured).toMatchObject({ truncated: true, sizeBytes: Buffer.byteLength(body) })
    }
    // A whole body shorter than the cap once redacted is kept whole, and not marked truncated.
    const short = 'xx' + `${secret},`.repeat(5)
    expect(captureBody(Buffer.from(short), 100, redact)).toEqual({ value: 'xx' + `${REDACTED},`.repeat(5), truncated: false, sizeBytes: short.length })
  })

  it('reads a journal’s prefix of a longer body as far as it goes, never into a secret its end cut', () => {
    const secret = 'TOKEN-abcdefghijklmnopqrstuvwxyz'
    const journaled = Buffer.from('xx' + `${secret},`.repeat(20))
    // The journal kept 300 bytes of a 5 MB body: its end cuts the tenth token.
    const prefix = new BodyPrefix(journaled.buffer as ArrayBuffer, journaled.byteOffset, 300, 5_000_000)
    const captured = captureBody(prefix, 1000, textRedactor([secret]))
    expect(captured).toEqual({ value: 'xx' + `${REDACTED},`.repeat(8) + REDACTED, truncated: true, sizeBytes: 5_000_000 })
    // Without secrets, the whole prefix up to the cap.
    expect(captureBody(prefix, 100, textRedactor([]))).toEqual({ value: journaled.subarray(0, 100).toString(), truncated: true, sizeBytes: 5_000_000 })
  })

  it('keeps as text what decoded as text when binary bytes follow past the first window', () => {
    const secret = 'TOKEN-abcdefghijklmnopqrstuvwxyz'
    const text = 'xx' + `${secret},`.repeat(10)
    const body = Buffer.concat([Buffer.from(text), Buffer.from([0xff, 0xfe]), Buffer.alloc(1000, 0x61)])
    const captured = captureBody(body, 100, textRedactor([secret]))
    expect(typeof captured.value).toBe('string')
    expect(captured.value).not.toContain('TOKEN')
    expect(captured).toMatchObject({ truncated: true, sizeBytes: body.byteLength })
  })
})

describe('redaction in the stored log', () => {
  it('never stores secret header values or env values, in rows, the full-text index or the file', async () => {
    t = await tempStore({ secretHeaders: ['x-store-wide'] })
    const envSecret = 'env-secret-value-9f8e7d'
    const bearer = 'bearer-token-a1b2c3d4'
    const cookie = 'session-cookie-55aa66bb'
    const custom = 'custom-header-secret-77'
    const storeWide = 'store-wide-secret-88'
    const { function: fn } = await t.store.functions.create({
      owner: 'o',
      name: 'f',
      code: 'x',
      envVars: { API_KEY: envSecret, SHORT: 'on' },
      secretHeaders: ['X-Custom-Token'],
    })
    const inv = makeInvocation({
      id: 'redact-1',
      functionId: fn.id,
      path: `/callback/${envSecret}`,
      query: { key: envSecret, other: ['fine', bearer] },
      requestHeaders: { authorization: `Bearer ${bearer}`, cookie: `sid=${cookie}`, 'x-custom-token': custom, 'x-store-wide': storeWide, 'x-echo': envSecret, accept: 'on' },
      responseHeaders: { 'set-cookie': [`sid=${cookie}; HttpOnly`], 'x-api-key': envSecret },
      requestBody: JSON.stringify({ token: bearer, custom }),
      responseBody: `your key is ${envSecret} and cookie ${cookie}`,
      console: [`using ${envSecret}`, `auth was ${bearer}`, `flag is on`],
      error: `failed with ${custom} and ${storeWide}`,
      outcome: 'runtime_error',
      status: 500,
    })
    await t.store.invocations.append(inv)
    const stored = await t.store.invocations.get('redact-1')
    const text = JSON.stringify(stored)
    for (const secret of [envSecret, bearer, cookie, custom, storeWide]) expect(text).not.toContain(secret)
    expect(stored.request.headers).toMatchObject({ authorization: REDACTED, cookie: REDACTED, 'x-custom-token': REDACTED, 'x-store-wide': REDACTED, 'x-echo': REDACTED, accept: 'on' })
    expect(stored.response.headers['set-cookie']).toEqual([REDACTED])
    expect(stored.path).toBe(`/callback/${REDACTED}`)
    expect(stored.console.map((c) => c.message)).toEqual([`using ${REDACTED}`, `auth was ${REDACTED}`, 'flag is on'])
    expect(stored.errorMessage).toBe(`failed with ${REDACTED} and ${REDACTED}`)
    // The caller's object is not mutated: the runtime may still use it.
    expect(inv.request.headers.authorization).toBe(`Bearer ${bearer}`)

    // The full-text index is a second copy of the text: secrets must not be searchable.
    expect((await t.store.invocations.query({ functionId: fn.id, text: envSecret })).items).toEqual([])
    expect((await t.store.invocations.query({ functionId: fn.id, text: 'using' })).items).toHaveLength(1)

    // After a checkpoint neither the database nor the WAL holds any secret in plaintext.
    await t.store.close()
    const db = new Database(t.file)
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.close()
    for (const f of fs.readdirSync(t.dir)) {
      const bytes = fs.readFileSync(`${t.dir}/${f}`)
      for (const secret of [envSecret, bearer, cookie, custom, storeWide]) expect(bytes.includes(Buffer.from(secret)), `${secret} in ${f}`).toBe(false)
    }
  })

  it('redacts an env value changed after the store opened (rules are read per batch)', async () => {
    t = await tempStore()
    const { function: fn } = await t.store.functions.create({ owner: 'o', name: 'f', code: 'x' })
    await t.store.functions.setEnvVar(fn.id, 'TOKEN', 'rotated-token-xyz')
    await t.store.invocations.append(makeInvocation({ id: 'r2', functionId: fn.id, console: ['token rotated-token-xyz'] }))
    expect((await t.store.invocations.get('r2')).console[0]!.message).toBe(`token ${REDACTED}`)
  })
})
