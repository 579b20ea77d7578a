import type { WireError, WireOutcome, WireResponse } from './wire.ts'
import { MAX_RESPONSE_BODY_BYTES, MAX_RESPONSE_HEADER_BYTES } from './wire.ts'
import { Response, bodyBytesOf, bodyStreamOf, bodyTextOf, readBodyBytes } from './response.ts'
import { TextEncoder } from './text-encoding.ts'
import { byteLengthOf } from './intrinsics.ts'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const BAD_VALUE = /[\r\n\0]/
const NULL_BODY_STATUSES = new Set([204, 205, 304])

class ResponseProblem {
  readonly kind: 'invalid_response' | 'response_too_large'
  readonly message: string
  constructor(kind: 'invalid_response' | 'response_too_large', message: string) {
    this.kind = kind
    this.message = message
  }
}

const invalid = (message: string) => new ResponseProblem('invalid_response', message)

/**
 * Checks what a handler returned and turns it into a plain response copy. Runs inside the isolate,
 * under the invocation's deadline, so getters or toJSON that hang cannot hang the host.
 */
export function normalizeResponse(value: unknown): WireOutcome | Promise<WireOutcome> {
  // A stream body is read to the end here, inside the isolate and under the deadline, capped.
  if (value instanceof Response && bodyStreamOf(value)) return streamed(value)
  try {
    return { kind: 'ok', response: toWire(value) }
  } catch (problem) {
    if (problem instanceof ResponseProblem) return { kind: problem.kind, error: asError(problem) }
    throw problem
  }
}

async function streamed(response: Response): Promise<WireOutcome> {
  let bytes: Uint8Array | null
  try {
    bytes = await readBodyBytes(response, MAX_RESPONSE_BODY_BYTES)
  } catch (error) {
    if (error instanceof RangeError && error.message.startsWith('The body stream is longer than')) {
      return { kind: 'response_too_large', error: asError(new ResponseProblem('response_too_large', `Response body stream is longer than the limit of ${MAX_RESPONSE_BODY_BYTES} bytes`)) }
    }
    throw error
  }
  try {
    return { kind: 'ok', response: fromResponse(response, bytes) }
  } catch (problem) {
    if (problem instanceof ResponseProblem) return { kind: problem.kind, error: asError(problem) }
    throw problem
  }
}

function asError(problem: ResponseProblem): WireError {
  const name = problem.kind === 'invalid_response' ? 'InvalidResponse' : 'ResponseTooLarge'
  return { name, message: problem.message, stack: `${name}: ${problem.message}` }
}

function toWire(value: unknown): WireResponse {
  if (value instanceof Response) return fromResponse(value)
  if (typeof value === 'string') return { status: 200, headers: [['content-type', 'text/plain;charset=UTF-8']], body: checkBody(value) }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`The handler returned ${describe(value)}; return { statusCode, headers, body }, a string, or a Response`)
  }
  const seed = value as Record<string, unknown>
  if (!('statusCode' in seed) && !('body' in seed) && !('headers' in seed)) {
    throw invalid('The handler returned an object without statusCode, headers or body; return { statusCode, headers, body }, a string, or a Response')
  }
  // Each field is read exactly once: a getter that answers differently on a second read changes nothing.
  const rawStatus = seed.statusCode
  const status = rawStatus === undefined ? 200 : rawStatus
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw invalid(`statusCode must be an integer from 200 to 599, got ${describe(status)}`)
  }
  const rawHeaders = seed.headers
  const rawBody = seed.body
  const headers = seedHeaders(rawHeaders)
  const body = seedBody(rawBody, headers)
  if (NULL_BODY_STATUSES.has(status) && body !== null && (typeof body === "string" ? body.length : byteLengthOf(body)) > 0) {
    throw invalid(`A ${status} response cannot have a body`)
  }
  checkHeaderSize(headers)
  return { status, headers, body }
}

/** A body made from a string goes out as that string (the host encodes it, as for seed bodies); otherwise its bytes. */
function fromResponse(response: Response, bytes: string | Uint8Array | null = bodyTextOf(response) ?? bodyBytesOf(response)): WireResponse {
  const headers: [string, string][] = []
  response.headers.forEach((value: string, name: string) => {
    if (name !== 'set-cookie') headers.push([name, value])
  })
  for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie])
  checkHeaderSize(headers)
  return { status: response.status, headers, body: bytes === null ? null : checkBody(bytes) }
}

function seedHeaders(input: unknown): [string, string][] {
  if (input === undefined || input === null) return []
  if (typeof input !== 'object' || Array.isArray(input)) throw invalid(`headers must be an object of name → value, got ${describe(input)}`)
  const pairs: [string, string][] = []
  for (const [name, raw] of Object.entries(input)) {
    if (!TOKEN.test(name)) throw invalid(`Header name ${JSON.stringify(name)} is not a valid HTTP token`)
    const values = Array.isArray(raw) ? raw : [raw]
    for (const item of values) {
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
        throw invalid(`Header ${JSON.stringify(name)} must be a string, got ${describe(item)}`)
      }
      const text = String(item)
      if (BAD_VALUE.test(text)) throw invalid(`Header ${JSON.stringify(name)} contains a CR, LF or NUL character`)
      pairs.push([name.toLowerCase(), text])
    }
  }
  return pairs
}

function seedBody(body: unknown, headers: [string, string][]): string | Uint8Array | null {
  if (body === undefined || body === null) return null
  if (typeof body === 'string') return checkBody(body)
  if (body instanceof ArrayBuffer) return checkBody(new Uint8Array(body.slice(0)))
  if (ArrayBuffer.isView(body)) return checkBody(new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)))
  let json: string | undefined
  try {
    json = JSON.stringify(body)
  } catch (error) {
    throw invalid(`body could not be encoded as JSON: ${error instanceof Error ? error.message : describe(error)}`)
  }
  if (json === undefined) throw invalid(`body must be a string, bytes or a JSON value, got ${describe(body)}`)
  if (!headers.some(([name]) => name === 'content-type')) headers.push(['content-type', 'application/json'])
  return checkBody(json)
}

function checkBody<T extends string | Uint8Array>(body: T): T {
  const size = typeof body === 'string' ? utf8Length(body) : byteLengthOf(body)
  if (size > MAX_RESPONSE_BODY_BYTES) {
    throw new ResponseProblem('response_too_large', `Response body is ${size} bytes; the limit is ${MAX_RESPONSE_BODY_BYTES} bytes`)
  }
  return body
}

function checkHeaderSize(headers: [string, string][]): void {
  let size = 0
  for (const [name, value] of headers) size += name.length + value.length + 4
  if (size > MAX_RESPONSE_HEADER_BYTES) {
    throw new ResponseProblem('response_too_large', `Response headers are ${size} bytes; the limit is ${MAX_RESPONSE_HEADER_BYTES} bytes`)
  }
}

function utf8Length(text: string): number {
  // Cheap bounds first: every UTF-16 unit is 1 to 3 UTF-8 bytes.
  if (text.length > MAX_RESPONSE_BODY_BYTES) return text.length
  if (text.length * 3 <= MAX_RESPONSE_BODY_BYTES) return text.length
  return new TextEncoder().encode(text).byteLength
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`
  return typeof value
}
