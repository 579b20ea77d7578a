import { describe, expect, it } from 'vitest'
import { text } from '../runtime.test-helper.ts'
import { useAttackRuntime } from './attack.test-helper.ts'

const { attack } = useAttackRuntime()

describe('responses are validated before they leave', () => {
  it.each([
    ['101 (a connection-level code)', `({ statusCode: 101 })`],
    ['100', `({ statusCode: 100 })`],
    ['600', `({ statusCode: 600 })`],
    ['NaN', `({ statusCode: NaN })`],
    ['a string status', `({ statusCode: '200' })`],
    ['a Response with status 101', `(() => { try { return new Response(null, { status: 101 }) } catch { return { statusCode: 101 } } })()`],
  ])('refuses status %s', async (_, value) => {
    await attack(`export default () => ${value}`, 'invalid_response')
  })

  it.each([
    ['a CRLF in a value', `{ 'x-a': 'ok\\r\\nSet-Cookie: stolen=1' }`],
    ['a bare LF', `{ 'x-a': 'a\\nb' }`],
    ['a NUL', `{ 'x-a': 'a\\u0000b' }`],
    ['a space in the name', `{ 'x a': '1' }`],
    ['a colon in the name', `{ 'x:a': '1' }`],
    ['an empty name', `{ '': '1' }`],
  ])('refuses a header with %s', async (_, headers) => {
    await attack(`export default () => ({ statusCode: 200, headers: ${headers}, body: 'x' })`, 'invalid_response')
  })

  it('sets framing itself: content-length, transfer-encoding and connection from the function are dropped', async () => {
    const result = await attack(
      `export default () => new Response('abc', { headers: { 'content-length': '1', 'transfer-encoding': 'chunked', connection: 'close', 'x-ok': '1' } })`,
      'ok',
    )
    expect(Object.keys(result.response.headers).sort()).toEqual(['content-type', 'x-ok'])
    expect(text(result)).toBe('abc')
  })

  it('204 and 304 carry no body', async () => {
    await attack(`export default () => ({ statusCode: 304, body: 'x' })`, 'invalid_response')
    const empty = await attack(`export default () => new Response(null, { status: 204 })`, 'ok')
    expect(empty.response.body.byteLength).toBe(0)
  })

  it('caps the body at 10 MB and the headers at 64 KB', async () => {
    await attack(`export default () => new Response(new Uint8Array(10 * 1024 * 1024 + 1))`, 'response_too_large', { memoryMb: 128 })
    await attack(`export default () => ({ statusCode: 200, headers: Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['x-' + i, 'v'.repeat(1000)])) })`, 'response_too_large')
  })

  it('binary bodies round-trip exactly and lone surrogates become U+FFFD, never a malformed message', async () => {
    const bytes = await attack(`export default () => new Response(Uint8Array.from({ length: 256 }, (_, i) => i))`, 'ok')
    expect([...bytes.response.body]).toEqual(Array.from({ length: 256 }, (_, i) => i))
    const lone = await attack(`export default () => ({ statusCode: 200, body: 'a\\ud800b\\udc00c' })`, 'ok')
    expect(text(lone)).toBe('a\ufffdb\ufffdc')
    expect([...lone.response.body]).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62, 0xef, 0xbf, 0xbd, 0x63])
  })
})
