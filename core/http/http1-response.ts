import { STATUS_CODES } from 'node:http'
import type { ServedResponse } from './function-call.ts'

/** Bodies up to this size are copied behind the head and leave in one write; larger ones go as a second buffer. */
const COPY_BODY_BYTES = 16 * 1024

let dateSecond = -1
let dateValue = ''

/** The Date header, formatted once a second (as node:http does). */
function httpDate(): string {
  const now = Date.now()
  const second = Math.floor(now / 1000)
  if (second !== dateSecond) {
    dateSecond = second
    dateValue = new Date(now).toUTCString()
  }
  return dateValue
}

export interface Http1ResponseOptions {
  /** The request was HEAD: headers only. */
  head: boolean
  /** The connection closes after this response. */
  close: boolean
  keepAliveTimeoutMs: number
}

/**
 * The bytes of `served` as node:http would send them from the front's `writeHead(status, flat)`
 * + `end(body)`: the same headers in the same order, Content-Length (not for HEAD, 204 or 304),
 * Date unless the function set one, then Connection and Keep-Alive. Header names and values were
 * validated before they got here (the response check, or our own error bodies); they are written
 * as latin1, as node:http writes them.
 */
export function http1Response(served: ServedResponse, options: Http1ResponseOptions): Buffer[] {
  const body = options.head || served.body === null ? null : typeof served.body === 'string' ? Buffer.from(served.body) : served.body
  let head = `HTTP/1.1 ${served.status} ${STATUS_CODES[served.status] ?? 'unknown'}\r\n`
  let hasDate = false
  for (const [name, value] of served.headers) {
    head += `${name}: ${value}\r\n`
    if (!hasDate && name.length === 4 && name.toLowerCase() === 'date') hasDate = true
  }
  if (!options.head && served.status !== 204 && served.status !== 304) head += `content-length: ${body?.byteLength ?? 0}\r\n`
  if (!hasDate) head += `Date: ${httpDate()}\r\n`
  head += options.close ? 'Connection: close\r\n\r\n' : `Connection: keep-alive\r\nKeep-Alive: timeout=${Math.floor(options.keepAliveTimeoutMs / 1000)}\r\n\r\n`
  if (!body || body.byteLength === 0) return [Buffer.from(head, 'latin1')]
  if (body.byteLength > COPY_BODY_BYTES) return [Buffer.from(head, 'latin1'), Buffer.from(body.buffer, body.byteOffset, body.byteLength)]
  const out = Buffer.allocUnsafe(head.length + body.byteLength)
  out.write(head, 0, 'latin1')
  out.set(body, head.length)
  return [out]
}
