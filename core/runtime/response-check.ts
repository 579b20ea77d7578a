import type { EdgeResponse } from '../../common/model/invocation.ts'
import type { WireResponse } from './guest/wire.ts'
import { MAX_RESPONSE_BODY_BYTES, MAX_RESPONSE_HEADER_BYTES } from './guest/wire.ts'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE = /[\r\n\0]/
/** Framing is the host's job: a function can never set these and break the HTTP message. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'proxy-connection', 'trailer'])

export type CheckedResponse = { ok: true; response: EdgeResponse } | { ok: false; kind: 'invalid_response' | 'response_too_large'; message: string }

/** Re-validates what came out of the isolate: the guest's own checks are not trusted. */
export function checkResponse(wire: WireResponse): CheckedResponse {
  if (!wire || typeof wire !== 'object') return { ok: false, kind: 'invalid_response', message: 'The response is not an object' }
  const { status } = wire
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    return { ok: false, kind: 'invalid_response', message: `statusCode must be an integer from 200 to 599, got ${String(status)}` }
  }
  const headers: Record<string, string | string[]> = {}
  let headerBytes = 0
  for (const pair of Array.isArray(wire.headers) ? wire.headers : []) {
    const [name, value] = Array.isArray(pair) ? pair : []
    if (typeof name !== 'string' || typeof value !== 'string' || !TOKEN.test(name) || BAD_VALUE.test(value)) {
      return { ok: false, kind: 'invalid_response', message: `Invalid response header ${JSON.stringify(String(name)).slice(0, 100)}` }
    }
    headerBytes += name.length + value.length + 4
    const key = name.toLowerCase()
    if (FRAMING.has(key)) continue
    const previous = headers[key]
    if (key === 'set-cookie') headers[key] = [...(Array.isArray(previous) ? previous : []), value]
    else headers[key] = previous === undefined ? value : `${String(previous)}, ${value}`
  }
  if (headerBytes > MAX_RESPONSE_HEADER_BYTES) {
    return { ok: false, kind: 'response_too_large', message: `Response headers are ${headerBytes} bytes; the limit is ${MAX_RESPONSE_HEADER_BYTES} bytes` }
  }
  const body = typeof wire.body === 'string' ? new Uint8Array(Buffer.from(wire.body, 'utf8')) : wire.body instanceof Uint8Array ? wire.body : new Uint8Array(0)
  if (body.byteLength > MAX_RESPONSE_BODY_BYTES) {
    return { ok: false, kind: 'response_too_large', message: `Response body is ${body.byteLength} bytes; the limit is ${MAX_RESPONSE_BODY_BYTES} bytes` }
  }
  if ((status === 204 || status === 205 || status === 304) && body.byteLength > 0) {
    return { ok: false, kind: 'invalid_response', message: `A ${status} response cannot have a body` }
  }
  return { ok: true, response: { statusCode: status, headers, body } }
}
