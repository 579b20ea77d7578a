import { describe, expect, it } from 'vitest'
import { MAX_HEAD_BYTES, parseRequestHead } from './http1-request-head.ts'

const parse = (text: string, maxBodyBytes = 1024) => parseRequestHead(Buffer.from(text, 'latin1'), maxBodyBytes)

describe('parseRequestHead', () => {
  it('parses a plain GET: method, target as sent, lowercase headers, the head length', () => {
    const text = 'GET /fn/abc/x%20y?q=1&q=2 HTTP/1.1\r\nHost: example.com\r\nX-Trace:  a b \r\nAccept: */*\r\n\r\n'
    expect(parse(text + 'NEXT')).toEqual({
      method: 'GET',
      target: '/fn/abc/x%20y?q=1&q=2',
      headers: { host: 'example.com', 'x-trace': 'a b', accept: '*/*' },
      contentLength: 0,
      close: false,
      length: text.length,
    })
  })

  it('joins repeated headers with ", " as Web Headers does, and reads Content-Length and Connection', () => {
    const head = parse('POST / HTTP/1.1\r\nhost: h\r\nX-A: 1\r\nx-a: 2\r\nContent-Length: 5\r\nConnection: Close\r\n\r\nhello')
    expect(head).toMatchObject({ method: 'POST', headers: { host: 'h', 'x-a': '1, 2', 'content-length': '5', connection: 'Close' }, contentLength: 5, close: true })
    expect(parse('GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive\r\n\r\n')).toMatchObject({ close: false })
  })

  it('asks for more bytes until the head ends', () => {
    expect(parse('GET / HTTP/1.1\r\nHost: h\r\n')).toBe('incomplete')
    expect(parse('GET / HTTP/1.1\r\nHost: h\r\n\r')).toBe('incomplete')
    expect(parse('')).toBe('incomplete')
  })

  it.each([
    ['a chunked body', 'POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['Content-Length with Transfer-Encoding', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['two Content-Lengths', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n'],
    ['a signed Content-Length', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +3\r\n\r\n'],
    ['an empty Content-Length', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length:\r\n\r\n'],
    ['a body over the limit', 'POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1025\r\n\r\n'],
    ['Expect', 'POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n'],
    ['Upgrade', 'GET / HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n'],
    ['Connection with other options', 'GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, foo\r\n\r\n'],
    ['no Host', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: h\r\n\r\n'],
    ['HTTP/2 preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'],
    ['an absolute-form target', 'GET http://h/ HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['an asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['CONNECT', 'CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['a lowercase method', 'get / HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['two spaces in the request line', 'GET  / HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['a leading empty line', '\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['obs-fold', 'GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n'],
    ['whitespace before the colon', 'GET / HTTP/1.1\r\nHost : h\r\n\r\n'],
    ['a bare LF', 'GET / HTTP/1.1\nHost: h\r\n\r\n'],
    ['a bare CR in a value', 'GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r2\r\n\r\n'],
    ['a NUL in a value', 'GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\x002\r\n\r\n'],
    ['a non-ASCII value', 'GET / HTTP/1.1\r\nHost: h\r\nX-A: caf\xe9\r\n\r\n'],
    ['a non-ASCII target', 'GET /caf\xe9 HTTP/1.1\r\nHost: h\r\n\r\n'],
    ['a header line without a colon', 'GET / HTTP/1.1\r\nHost: h\r\nnonsense\r\n\r\n'],
  ])('leaves %s to node:http', (_, text) => {
    expect(parse(text)).toBe('unsupported')
  })

  it('leaves heads past the size limit to node:http, complete or not', () => {
    const long = `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES)}`
    expect(parse(long)).toBe('unsupported')
    expect(parse(`${long}\r\n\r\n`)).toBe('unsupported')
    const fits = `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${'a'.repeat(MAX_HEAD_BYTES - 100)}\r\n\r\n`
    expect(parse(fits)).toMatchObject({ length: fits.length })
  })
})
