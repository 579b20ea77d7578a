import { describe, expect, it } from 'vitest'
import { prepareRequest, trustedRequest } from './request-input.ts'

describe('prepareRequest', () => {
  it('completes a partial request the way a browser would', () => {
    expect(prepareRequest({ method: 'post', path: '/a?x=1', query: { x: '2', y: ['3', '4'] }, headers: { Host: 'api.test', 'X-N': 5 } })).toEqual({
      method: 'POST',
      url: 'http://api.test/a?x=1&x=2&y=3&y=4',
      path: '/a',
      query: { x: ['1', '2'], y: ['3', '4'] },
      headers: { host: 'api.test', 'x-n': '5' },
      body: null,
    })
  })

  it('names what is wrong', () => {
    expect(() => prepareRequest({ method: 'GE T' })).toThrow(/method must be an HTTP token/)
    expect(() => prepareRequest({ nope: 1 } as never)).toThrow(/Invalid request/)
  })

  it('returns a request it prepared as is, and validates a look-alike afresh', () => {
    const request = prepareRequest({ path: '/x' })
    expect(prepareRequest(request)).toBe(request)
    const copy = prepareRequest({ ...request })
    expect(copy).not.toBe(request)
    expect(copy).toEqual(request)
    expect(() => prepareRequest({ ...request, method: 'BAD METHOD' })).toThrow(/method must be an HTTP token/)
  })

  it('passes a request an HTTP server parsed through as is; one cloned across a process boundary is validated afresh', () => {
    const request = trustedRequest({ method: 'GET', url: 'http://a.test/p?q=1&q=2', headers: { accept: '*/*' }, body: null })
    expect(prepareRequest(request)).toBe(request)
    // The same fields, in the same order, as the plain object it replaced.
    expect(JSON.stringify(request)).toBe('{"method":"GET","url":"http://a.test/p?q=1&q=2","path":"/p","query":{"q":["1","2"]},"headers":{"accept":"*/*","host":"a.test"},"body":null}')
    const cloned = structuredClone(request)
    expect(prepareRequest(cloned)).not.toBe(cloned)
    expect(() => prepareRequest({ ...cloned, method: 'BAD METHOD' })).toThrow(/method must be an HTTP token/)
  })
})
