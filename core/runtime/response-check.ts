import type { EdgeResponse } from '../../common/model/invocation.ts'
import type { WireResponse } from './guest/wire.ts'
import { MAX_RESPONSE_BODY_BYTES, MAX_RESPONSE_HEADER_BYTES } from './guest/wire.ts'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE = /[\r\n\0]/
/** Framing is the host's job: a function can never set these and break the HTTP message. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'proxy-connection', 'trailer'])

export type CheckedResponse = { ok: true; response: EdgeResponse } | { ok: false; kind: 'invalid_response' | 'response_too_large'; message: string }
type Problem = Extract<CheckedResponse, { ok: false }>

/** Re-validates what came out of the isolate: the guest's own checks are not trusted. */
export function checkResponse(wire: WireResponse): CheckedResponse {
  if (!wire || typeof wire !== 'object') return { ok: false, kind: 'invalid_response', message: 'The response is not an object' }
  const status = checkStatus(wire.status)
  if (typeof status !== 'number') return status
  const headers = new HeaderCollector()
  for (const pair of Array.isArray(wire.headers) ? wire.headers : []) {
    const [name, value] = Array.isArray(pair) ? pair : []
    const problem = headers.add(name, value)
    if (problem) return problem
  }
  return finish(status, headers, wire.body)
}

/**
 * The same checks for a response as the guest's `complete` hook reports it: status, headers
 * packed as `<length>:<name><length>:<value>…` (wire.ts PackedHeaders), body. Nothing here is
 * trusted: a malformed packing is an invalid response like any other bad header.
 */
export function checkReportedResponse(rawStatus: unknown, packed: unknown, body: unknown): CheckedResponse {
  const status = checkStatus(rawStatus)
  if (typeof status !== 'number') return status
  const headers = new HeaderCollector()
  if (typeof packed !== 'string') return invalidHeader(undefined)
  let at = 0
  while (at < packed.length) {
    const name = field(packed, at)
    if (name === null) return invalidHeader(undefined)
    const value = field(packed, name.end)
    if (value === null) return invalidHeader(name.text)
    at = value.end
    const problem = headers.add(name.text, value.text)
    if (problem) return problem
  }
  return finish(status, headers, body)
}

/** One `<length>:<text>` field of packed headers starting at `at`, or null when malformed. */
function field(packed: string, at: number): { text: string; end: number } | null {
  const colon = packed.indexOf(':', at)
  if (colon <= at || colon - at > 9) return null
  let length = 0
  for (let i = at; i < colon; i++) {
    const digit = packed.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return null
    length = length * 10 + digit
  }
  const end = colon + 1 + length
  if (end > packed.length) return null
  return { text: packed.slice(colon + 1, end), end }
}

function checkStatus(status: unknown): number | Problem {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return { ok: false, kind: 'invalid_response', message: `statusCode must be an integer from 200 to 599, got ${String(status)}` }
  }
  return status
}

function invalidHeader(name: unknown): Problem {
  return { ok: false, kind: 'invalid_response', message: `Invalid response header ${JSON.stringify(String(name)).slice(0, 100)}` }
}

/** Validates and merges headers one at a time, the same way for both wire forms. */
class HeaderCollector {
  readonly headers: Record<string, string | string[]> = {}
  bytes = 0

  add(name: unknown, value: unknown): Problem | null {
    if (typeof name !== 'string' || typeof value !== 'string' || !TOKEN.test(name) || BAD_VALUE.test(value)) return invalidHeader(name)
    this.bytes += name.length + value.length + 4
    const key = name.toLowerCase()
    if (FRAMING.has(key)) return null
    const previous = this.headers[key]
    if (key === 'set-cookie') this.headers[key] = [...(Array.isArray(previous) ? previous : []), value]
    else this.headers[key] = previous === undefined ? value : `${String(previous)}, ${value}`
    return null
  }
}

function finish(status: number, collected: HeaderCollector, rawBody: unknown): CheckedResponse {
  if (collected.bytes > MAX_RESPONSE_HEADER_BYTES) {
    return { ok: false, kind: 'response_too_large', message: `Response headers are ${collected.bytes} bytes; the limit is ${MAX_RESPONSE_HEADER_BYTES} bytes` }
  }
  // A copy out of Node's shared pool: a pooled Buffer's backing store could carry other bytes along.
  const body = typeof rawBody === 'string' ? new Uint8Array(Buffer.from(rawBody, 'utf8')) : rawBody instanceof Uint8Array ? rawBody : new Uint8Array(0)
  if (body.byteLength > MAX_RESPONSE_BODY_BYTES) {
    return { ok: false, kind: 'response_too_large', message: `Response body is ${body.byteLength} bytes; the limit is ${MAX_RESPONSE_BODY_BYTES} bytes` }
  }
  if ((status === 204 || status === 205 || status === 304) && body.byteLength > 0) {
    return { ok: false, kind: 'invalid_response', message: `A ${status} response cannot have a body` }
  }
  return { ok: true, response: { statusCode: status, headers: collected.headers, body } }
}
