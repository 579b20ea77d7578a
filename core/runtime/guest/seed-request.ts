import type { WireRequest } from './wire.ts'
import { Request, requestFromRecord } from './request.ts'
import { TextDecoder } from './text-encoding.ts'

const HEADERS_METHODS = new Set(['append', 'delete', 'entries', 'forEach', 'get', 'getSetCookie', 'has', 'keys', 'set', 'values'])

// Captured before user code runs, and descriptors without a prototype: a function that patches
// Object or Object.prototype (a `get` or `set` there would turn these into accessor descriptors)
// only breaks itself. The descriptors are reused; defineProperty reads them at once.
const defineProperty = Object.defineProperty
const keysOf = Object.keys
const headerField: PropertyDescriptor = { __proto__: null, value: undefined, enumerable: true, configurable: true, writable: true } as PropertyDescriptor
const seedField: PropertyDescriptor = { __proto__: null, value: undefined, enumerable: true } as PropertyDescriptor

/**
 * One request object serves both handler forms. It is a real `Request` (headers.get(), json(),
 * text(), arrayBuffer()), and it also carries the seed fields: `path`, `query`, `body` as text, and
 * header values readable as plain properties (`request.headers['content-type']`).
 */
export function buildRequest(wire: WireRequest, seed = true): Request {
  const hasBody = wire.body !== null && wire.method !== 'GET' && wire.method !== 'HEAD'
  const request = requestFromRecord(wire.url, { method: wire.method, body: hasBody ? wire.body : null }, wire.headers)
  const text = !seed || wire.body === null ? null : typeof wire.body === 'string' ? wire.body : typeof wire.text === 'string' ? wire.text : new TextDecoder().decode(wire.body)
  const headers = request.headers as unknown as Record<string, string>
  const names = keysOf(wire.headers)
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!
    const key = name.toLowerCase()
    if (HEADERS_METHODS.has(key)) continue
    // A plain assignment makes the same writable, enumerable data property, ~0.25 µs cheaper per
    // header than defineProperty; only `__proto__` would mean something else to it.
    if (key !== '__proto__') headers[key] = wire.headers[name]!
    else {
      headerField.value = wire.headers[name]
      defineProperty(headers, key, headerField)
    }
  }
  headerField.value = undefined
  seedField.value = wire.path
  defineProperty(request, 'path', seedField)
  seedField.value = wire.query
  defineProperty(request, 'query', seedField)
  // Web-form handlers (`{ fetch }`) get the standard `body` (a ReadableStream); seed handlers get text.
  if (seed) {
    seedField.value = text === '' ? null : text
    defineProperty(request, 'body', seedField)
  }
  seedField.value = undefined
  return request
}

export type { Request }
