import type { WireRequest } from './wire.ts'
import { Request } from './request.ts'
import { TextDecoder } from './text-encoding.ts'

const HEADERS_METHODS = new Set(['append', 'delete', 'entries', 'forEach', 'get', 'getSetCookie', 'has', 'keys', 'set', 'values'])

/**
 * One request object serves both handler forms. It is a real `Request` (headers.get(), json(),
 * text(), arrayBuffer()), and it also carries the seed fields: `path`, `query`, `body` as text, and
 * header values readable as plain properties (`request.headers['content-type']`).
 */
export function buildRequest(wire: WireRequest, seed = true): Request {
  const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD'
  const request = new Request(wire.url, {
    method: wire.method,
    headers: Object.entries(wire.headers),
    body: hasBody ? wire.body : null,
  })
  const text = !seed || wire.body === null ? null : typeof wire.body === 'string' ? wire.body : typeof wire.text === 'string' ? wire.text : new TextDecoder().decode(wire.body)
  const headers = request.headers as unknown as Record<string, string>
  for (const [name, value] of Object.entries(wire.headers)) {
    const key = name.toLowerCase()
    if (!HEADERS_METHODS.has(key)) Object.defineProperty(headers, key, { value, enumerable: true, configurable: true, writable: true })
  }
  Object.defineProperties(request, {
    path: { value: wire.path, enumerable: true },
    query: { value: wire.query, enumerable: true },
  })
  // Web-form handlers (`{ fetch }`) get the standard `body` (a ReadableStream); seed handlers get text.
  if (seed) Object.defineProperty(request, 'body', { value: text === '' ? null : text, enumerable: true })
  return request
}
