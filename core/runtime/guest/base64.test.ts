import { afterAll, describe, expect, it } from 'vitest'
import { createGuest, same } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

describe('atob / btoa (compared with Node)', () => {
  it('round-trips every byte value and matches padding rules', async () => {
    const [g, n] = await same(guest, () => {
      let all = ''
      for (let i = 0; i < 256; i++) all += String.fromCharCode(i)
      const inputs = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar', all]
      return [inputs.map(s => btoa(s)), inputs.map(s => atob(btoa(s)) === s), btoa(123 as any), btoa(null as any), btoa(undefined as any)]
    })
    expect(g).toEqual(n)
  })

  it('forgiving-base64 decode: whitespace, optional padding and errors', async () => {
    const [g, n] = await same(guest, () => {
      const inputs = ['Zm9v', 'Zm9vYg', 'Zm9vYg==', 'Zm9vYg=', ' Z m\n9\tv\fY\rg = = ', 'Zm9vY', 'Zm9vYg===', '=Zm9v', 'Zm=9v', 'Zm9v\u00a0',
        'Zm9v\v', 'ab-_', '////', '+/+/', 'YQ', 'YR==', 'Y', '', '===', 'A', 'AA', 'AAA', 'AAAA=', null, undefined, 12]
      return inputs.map(s => err(() => atob(s as any)))
    })
    expect(g).toEqual(n)
  })

  it('btoa rejects characters above U+00FF; errors are DOMExceptions', async () => {
    const [g, n] = await same(guest, () => {
      const e = (() => { try { btoa('€') } catch (x) { return x as any } })()
      const d = new DOMException('m', 'DataCloneError')
      const plain = new DOMException()
      const opts = new DOMException('x', { name: 'AbortError', cause: 1 } as any)
      return [err(() => btoa('€')), err(() => btoa('\u0100')), err(() => (btoa as any)()), err(() => (atob as any)()),
        e.name, e.code, e instanceof DOMException, e instanceof Error, Object.prototype.toString.call(e),
        d.name, d.message, d.code, plain.name, plain.message, plain.code, opts.name, (opts as any).cause, opts.code,
        new DOMException('m', 'Whatever').code, Object.keys(d), new DOMException('m', 'SyntaxError').code, new DOMException('', 'TimeoutError').code]
    })
    expect(g).toEqual(n)
  })
})
