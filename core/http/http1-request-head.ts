/** node:http's default limit (`--max-http-header-size`): a longer head goes to node:http, which answers 431. */
export const MAX_HEAD_BYTES = 16 * 1024

/** The methods function traffic uses; anything else (CONNECT, TRACE, extensions) goes to node:http. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** `METHOD /origin-form-target HTTP/1.1`: printable ASCII only, one space between the parts. */
const REQUEST_LINE = /^([A-Z]{3,7}) (\/[\x21-\x7e]*) HTTP\/1\.1$/
/** `name: value`: a token, a colon, optional whitespace, printable ASCII or tabs (no obs-fold, no obs-text). */
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[\t ]*([\t\x20-\x7e]*?)[\t ]*$/
const DIGITS = /^\d{1,15}$/

export interface RequestHead {
  method: string
  /** The request target as sent (origin form). */
  target: string
  /** Lowercase names; repeats joined with ', ' (as Web `Headers` does). */
  headers: Record<string, string>
  contentLength: number
  /** The client sent `Connection: close`. */
  close: boolean
  /** Bytes of the head, its final empty line included. */
  length: number
}

/**
 * Parses the head at the start of `data` when it is the plain, common case of HTTP/1.1: an
 * origin-form request with a Host, printable ASCII throughout, a body framed by at most one
 * Content-Length of at most `maxBodyBytes`. 'incomplete' asks for more bytes. Everything else is
 * 'unsupported' and is left to node:http (llhttp), which accepts or refuses it as it always has:
 * chunked bodies, Expect, Upgrade, HTTP/1.0, obs-fold, bare CR or LF, non-ASCII bytes, oversized
 * heads and bodies, and malformed requests alike. So this parser only ever accepts a strict
 * subset of what node:http accepts, and a request cannot mean one thing here and another there.
 */
export function parseRequestHead(data: Buffer, maxBodyBytes: number): RequestHead | 'incomplete' | 'unsupported' {
  const end = data.indexOf('\r\n\r\n')
  if (end === -1) return data.length >= MAX_HEAD_BYTES ? 'unsupported' : 'incomplete'
  if (end + 4 > MAX_HEAD_BYTES) return 'unsupported'
  const lines = data.toString('latin1', 0, end).split('\r\n')
  const requestLine = REQUEST_LINE.exec(lines[0]!)
  if (!requestLine || !METHODS.has(requestLine[1]!)) return 'unsupported'
  const headers: Record<string, string> = {}
  let contentLength: string | undefined
  let close = false
  for (let i = 1; i < lines.length; i++) {
    const header = HEADER_LINE.exec(lines[i]!)
    if (!header) return 'unsupported'
    const name = header[1]!.toLowerCase()
    const value = header[2]!
    switch (name) {
      case 'content-length':
        if (contentLength !== undefined || !DIGITS.test(value)) return 'unsupported'
        contentLength = value
        break
      case 'host':
        if (headers.host !== undefined) return 'unsupported'
        break
      case 'connection': {
        const option = value.toLowerCase()
        if (option === 'close') close = true
        else if (option !== 'keep-alive') return 'unsupported'
        break
      }
      case 'transfer-encoding':
      case 'expect':
      case 'upgrade':
        return 'unsupported'
    }
    const previous = headers[name]
    headers[name] = previous === undefined ? value : `${previous}, ${value}`
  }
  if (headers.host === undefined) return 'unsupported'
  const length = contentLength === undefined ? 0 : Number(contentLength)
  if (length > maxBodyBytes) return 'unsupported'
  return { method: requestLine[1]!, target: requestLine[2]!, headers, contentLength: length, close, length: end + 4 }
}
