import { createHmac, generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { json, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime()
const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url')

/** A JWT verifier as people write it for Workers: crypto.subtle only, no libraries. */
const JWT_VERIFIER = `
const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
const ALGS = { HS256: { name: 'HMAC', hash: 'SHA-256' }, RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, ES256: { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } }
export default { async fetch(request, env) {
  const token = request.headers.get('authorization').slice(7)
  const [h, p, s] = token.split('.')
  const header = JSON.parse(new TextDecoder().decode(dec(h)))
  const alg = ALGS[header.alg]
  const key = header.alg === 'HS256'
    ? await crypto.subtle.importKey('raw', new TextEncoder().encode(env.SECRET), alg, false, ['verify'])
    : await crypto.subtle.importKey('jwk', JSON.parse(env.JWK), alg, false, ['verify'])
  const ok = await crypto.subtle.verify(alg, key, dec(s), new TextEncoder().encode(h + '.' + p))
  return Response.json({ ok, alg: header.alg, sub: ok ? JSON.parse(new TextDecoder().decode(dec(p))).sub : null })
} }`

describe('crypto.subtle', () => {
  it('verifies HS256, RS256 and ES256 JWTs and rejects a tampered one', async () => {
    const payload = b64url(JSON.stringify({ sub: 'user-1' }))
    const hsHeader = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
    const hs = `${hsHeader}.${payload}.${b64url(createHmac('sha256', 's3cret').update(`${hsHeader}.${payload}`).digest())}`
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const rsHeader = b64url(JSON.stringify({ alg: 'RS256' }))
    const rs = `${rsHeader}.${payload}.${b64url(nodeSign('sha256', Buffer.from(`${rsHeader}.${payload}`), rsa.privateKey))}`
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const esHeader = b64url(JSON.stringify({ alg: 'ES256' }))
    const es = `${esHeader}.${payload}.${b64url(nodeSign('sha256', Buffer.from(`${esHeader}.${payload}`), { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }))}`
    const run = (token: string, jwk?: object) =>
      rt.run(JWT_VERIFIER, { headers: { authorization: `Bearer ${token}` } }, { id: `jwt-${Math.random()}`, envVars: { SECRET: 's3cret', JWK: JSON.stringify(jwk ?? {}) } })
    expect(json(await run(hs))).toEqual({ ok: true, alg: 'HS256', sub: 'user-1' })
    expect(json(await run(rs, rsa.publicKey.export({ format: 'jwk' })))).toEqual({ ok: true, alg: 'RS256', sub: 'user-1' })
    expect(json(await run(es, ec.publicKey.export({ format: 'jwk' })))).toEqual({ ok: true, alg: 'ES256', sub: 'user-1' })
    const tampered = hs.replace(payload, b64url(JSON.stringify({ sub: 'admin' })))
    expect(json(await run(tampered))).toEqual({ ok: false, alg: 'HS256', sub: null })
  })

  it('checks Stripe, GitHub and Slack webhook signatures', async () => {
    const body = JSON.stringify({ id: 'evt_1', type: 'payment_intent.succeeded' })
    const t = Math.floor(Date.now() / 1000)
    const stripe = `t=${t},v1=${createHmac('sha256', 'whsec_test').update(`${t}.${body}`).digest('hex')}`
    const github = `sha256=${createHmac('sha256', 'gh-secret').update(body).digest('hex')}`
    const slack = `v0=${createHmac('sha256', 'slack-secret').update(`v0:${t}:${body}`).digest('hex')}`
    const code = `
const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('')
async function hmac(secret, message) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return hex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message)))
}
const same = (a, b) => a.length === b.length && crypto.subtle.timingSafeEqual(new TextEncoder().encode(a), new TextEncoder().encode(b))
export default { async fetch(request, env) {
  const body = await request.text()
  const h = request.headers
  const parts = Object.fromEntries(h.get('stripe-signature').split(',').map((kv) => kv.split('=')))
  const stripe = same(parts.v1, await hmac(env.STRIPE, parts.t + '.' + body))
  const github = same(h.get('x-hub-signature-256'), 'sha256=' + await hmac(env.GITHUB, body))
  const slack = same(h.get('x-slack-signature'), 'v0=' + await hmac(env.SLACK, 'v0:' + h.get('x-slack-request-timestamp') + ':' + body))
  const forged = same(h.get('x-hub-signature-256'), 'sha256=' + await hmac('wrong', body))
  return Response.json({ stripe, github, slack, forged })
} }`
    const result = await rt.run(code, {
      method: 'POST', body,
      headers: { 'stripe-signature': stripe, 'x-hub-signature-256': github, 'x-slack-signature': slack, 'x-slack-request-timestamp': String(t) },
    }, { envVars: { STRIPE: 'whsec_test', GITHUB: 'gh-secret', SLACK: 'slack-secret' } })
    expect(json(result)).toEqual({ stripe: true, github: true, slack: true, forged: false })
  })

  it('digests, encrypts, derives, generates and exports keys; errors keep their WebCrypto names', async () => {
    const result = await rt.run(`export default { async fetch() {
      const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('')
      const enc = new TextEncoder()
      const digest = hex(await crypto.subtle.digest('SHA-256', enc.encode('abc')))
      const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt'])
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, enc.encode('secret'))
      const opened = new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, aes, sealed))
      const raw = await crypto.subtle.exportKey('raw', aes)
      const base = await crypto.subtle.importKey('raw', enc.encode('pw'), 'PBKDF2', false, ['deriveBits', 'deriveKey'])
      const bits = hex(await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: enc.encode('salt'), iterations: 1000, hash: 'SHA-256' }, base, 256))
      const derived = await crypto.subtle.deriveKey({ name: 'PBKDF2', salt: enc.encode('salt'), iterations: 1000, hash: 'SHA-256' }, base, { name: 'AES-CBC', length: 128 }, true, ['encrypt'])
      const tooMany = await crypto.subtle.deriveBits({ name: 'PBKDF2', salt: enc.encode('s'), iterations: 1e7, hash: 'SHA-256' }, base, 256).catch((e) => e.name)
      const ed = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
      const sig = await crypto.subtle.sign('Ed25519', ed.privateKey, enc.encode('m'))
      const edOk = await crypto.subtle.verify('Ed25519', ed.publicKey, sig, enc.encode('m'))
      const a = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])
      const b = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits'])
      const s1 = hex(await crypto.subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey, 256))
      const s2 = hex(await crypto.subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey, 256))
      const badKey = await crypto.subtle.importKey('raw', new Uint8Array(3), 'AES-GCM', false, ['encrypt']).catch((e) => e.name)
      const notKey = await crypto.subtle.sign('HMAC', {}, enc.encode('x')).catch((e) => e.name)
      return Response.json({ digest, opened, rawLength: raw.byteLength, bits, derived: [derived.type, derived.algorithm.name, derived.algorithm.length, derived instanceof CryptoKey],
        tooMany, edOk, ecdh: s1 === s2, badKey, notKey, usages: aes.usages, pair: [ed.publicKey.type, ed.privateKey.type] })
    } }`)
    expect(json(result)).toEqual({
      digest: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', opened: 'secret', rawLength: 32,
      bits: expect.stringMatching(/^[0-9a-f]{64}$/), derived: ['secret', 'AES-CBC', 128, true], tooMany: 'NotSupportedError', edOk: true, ecdh: true,
      badKey: 'DataError', notKey: 'TypeError', usages: ['encrypt', 'decrypt'], pair: ['public', 'private'],
    })
  })
})
