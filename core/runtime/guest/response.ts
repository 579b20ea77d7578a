// WHATWG Fetch `Response` (constructed responses: type 'default', or 'error' from Response.error()).
import { Body, bodyBytesOf, bodyStreamOf, bodyTextOf, bodyUsedOf, cloneBody, extractBody, initBody, readBodyBytes } from './body.ts'
import { Headers, headersGuardOf, setHeadersGuard, type HeadersInit } from './headers.ts'
import { parseHref } from './url.ts'
import { brand, inspectViews, toByteString } from './util.ts'

export { bodyBytesOf, bodyStreamOf, bodyTextOf, readBodyBytes }

export type ResponseInit = { status?: number; statusText?: string; headers?: HeadersInit }
export type ResponseType = 'basic' | 'cors' | 'default' | 'error' | 'opaque' | 'opaqueredirect'

const NULL_BODY = [101, 103, 204, 205, 304]
const REDIRECT = [301, 302, 303, 307, 308]

/** WebIDL `unsigned short`: ToNumber, truncate, modulo 2^16. */
function toUint16(v: unknown): number {
  const n = Math.trunc(Number(v))
  return Number.isFinite(n) ? ((n % 65536) + 65536) % 65536 : 0
}

export class Response extends Body {
  #status = 200
  #statusText = ''
  #headers: Headers
  #type: ResponseType = 'default'

  static {
    inspectViews.set(Response.prototype, (r: Response) => ({
      status: r.#status, statusText: r.#statusText, headers: r.#headers, body: null, bodyUsed: bodyUsedOf(r),
      ok: r.#status >= 200 && r.#status <= 299, redirected: false, type: r.#type, url: '',
    }))
  }

  constructor(body: unknown = null, init: ResponseInit | null = {}) {
    super()
    init ??= {}
    if (init.status !== undefined) {
      const status = toUint16(init.status)
      if (status < 200 || status > 599) throw new RangeError(`Failed to construct 'Response': The status provided (${status}) is outside the range [200, 599].`)
      this.#status = status
    }
    if (init.statusText !== undefined) {
      // reason-phrase = *( HTAB / SP / VCHAR / obs-text )
      const t = toByteString(init.statusText, 'statusText')
      if (/[^\t\x20-\x7e\x80-\xff]/.test(t)) throw new TypeError(`Failed to construct 'Response': Invalid statusText`)
      this.#statusText = t
    }
    this.#headers = new Headers(init.headers)
    if (body !== null && body !== undefined) {
      if (NULL_BODY.includes(this.#status)) throw new TypeError(`Response constructor: Invalid response status code ${this.#status}`)
      const { bytes, stream, type, text } = extractBody(body)
      if (type !== null && !this.#headers.has('content-type')) this.#headers.append('content-type', type)
      initBody(this, bytes, stream, text)
    }
  }

  static error(): Response {
    const r = new Response()
    r.#status = 0
    r.#type = 'error'
    setHeadersGuard(r.#headers, 'immutable')
    return r
  }

  static redirect(url: unknown, status: number = 302): Response {
    const href = parseHref(url)
    if (href === null) throw new TypeError(`Failed to parse URL from ${String(url)}`)
    const s = toUint16(status)
    if (!REDIRECT.includes(s)) throw new RangeError(`Invalid status code ${s}`)
    const r = new Response(null, { status: s, headers: { location: href } })
    setHeadersGuard(r.#headers, 'immutable')
    return r
  }

  static json(data: unknown, init: ResponseInit | null = {}): Response {
    const text = JSON.stringify(data)
    if (text === undefined) throw new TypeError('Value is not JSON serializable')
    const r = new Response(null, init)
    if (NULL_BODY.includes(r.#status)) throw new TypeError(`Response.json: Invalid response status code ${r.#status}`)
    initBody(r, null, null, text)
    if (!r.#headers.has('content-type')) r.#headers.append('content-type', 'application/json')
    return r
  }

  get type(): ResponseType { return this.#type }
  get url(): string { return '' }
  get redirected(): boolean { return false }
  get status(): number { return this.#status }
  get ok(): boolean { return this.#status >= 200 && this.#status <= 299 }
  get statusText(): string { return this.#statusText }
  get headers(): Headers { return this.#headers }

  clone(): Response {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.')
    const r = new Response(null, { headers: this.#headers })
    r.#status = this.#status
    r.#statusText = this.#statusText
    r.#type = this.#type
    setHeadersGuard(r.#headers, headersGuardOf(this.#headers))
    cloneBody(this, r)
    return r
  }
}
brand(Response, 'Response')

