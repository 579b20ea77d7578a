// WHATWG Fetch `Request`, the server-side subset: no forbidden-header guard, no mode/credential
// semantics (the getters return the spec defaults so code reading them keeps working).
import { Body, bodyBytesOf, bodyStreamOf, bodyTextOf, bodyUsedOf, cloneBody, extractBody, initBody, readBodyBytes, takeBody } from './body.ts'
import { Headers, headersFromRecord, type HeadersInit } from './headers.ts'
import { parseHref } from './url.ts'
import { brand, inspectViews, isToken } from './util.ts'

export { bodyBytesOf, bodyStreamOf, bodyTextOf, readBodyBytes }

export type RequestRedirect = 'follow' | 'error' | 'manual'
export type RequestInit = {
  method?: string
  headers?: HeadersInit
  body?: unknown
  redirect?: RequestRedirect
  signal?: unknown
  [key: string]: unknown
}

/**
 * Placeholder for AbortSignal until the events/abort issue lands: a request's signal never
 * aborts. A signal passed in `init.signal` is kept as-is and returned by `request.signal`.
 */
const neverAborted = Object.freeze({
  aborted: false,
  reason: undefined,
  onabort: null,
  throwIfAborted() {},
  addEventListener() {},
  removeEventListener() {},
})

/**
 * Internal: \`new Request(input, { ...init, headers: Object.entries(headers) })\` for the incoming
 * request, with its Headers built straight from the record (headersFromRecord) at the point where
 * the constructor would build them, so results and errors are the same, without the pair copies.
 */
export function requestFromRecord(input: string, init: RequestInit, headers: Record<string, string>): Request {
  headerRecord = headers
  try {
    return new Request(input, init)
  } finally {
    headerRecord = null
  }
}
let headerRecord: Record<string, string> | null = null

const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']
const FORBIDDEN = ['CONNECT', 'TRACE', 'TRACK']
const REDIRECTS = ['follow', 'error', 'manual']

export class Request extends Body {
  #method = 'GET'
  #url: string
  #headers: Headers
  #redirect: RequestRedirect = 'follow'
  #signal: unknown = neverAborted

  static {
    inspectViews.set(Request.prototype, (r: Request) => ({
      method: r.#method, url: r.#url, headers: r.#headers, bodyUsed: bodyUsedOf(r), redirect: r.#redirect,
    }))
  }

  constructor(input: Request | string | { toString(): string }, init: RequestInit | null = {}) {
    super()
    const record = headerRecord
    headerRecord = null
    if (arguments.length === 0) throw new TypeError("Failed to construct 'Request': 1 argument required, but only 0 present.")
    init ??= {}
    let inputHasBody = false
    if (input instanceof Request) {
      this.#url = input.#url
      this.#method = input.#method
      this.#redirect = input.#redirect
      this.#signal = input.#signal
      inputHasBody = bodyTextOf(input) !== null || bodyBytesOf(input) !== null || bodyStreamOf(input) !== null
    } else {
      const href = parseHref(input)
      if (href === null) throw new TypeError(`Failed to parse URL from ${String(input)}`)
      this.#url = href
    }
    if (init.method !== undefined) {
      const m = String(init.method)
      if (!isToken(m)) throw new TypeError(`'${m}' is not a valid HTTP method.`)
      const upper = m.toUpperCase()
      if (FORBIDDEN.includes(upper)) throw new TypeError(`'${m}' HTTP method is unsupported.`)
      this.#method = NORMALIZED.includes(upper) ? upper : m
    }
    if (init.redirect !== undefined) {
      if (!REDIRECTS.includes(init.redirect)) throw new TypeError(`Failed to construct 'Request': The provided value '${String(init.redirect)}' is not a valid enum value of type RequestRedirect.`)
      this.#redirect = init.redirect
    }
    if (init.signal != null) this.#signal = init.signal
    this.#headers = record ? headersFromRecord(record) : new Headers(init.headers !== undefined ? init.headers : input instanceof Request ? input.#headers : undefined)

    const hasInitBody = init.body != null
    if ((hasInitBody || inputHasBody) && (this.#method === 'GET' || this.#method === 'HEAD')) {
      throw new TypeError('Request with GET/HEAD method cannot have body.')
    }
    if (hasInitBody) {
      const { bytes, stream, type, text } = extractBody(init.body)
      if (type !== null && !this.#headers.has('content-type')) this.#headers.append('content-type', type)
      initBody(this, bytes, stream, text)
    } else if (inputHasBody) {
      if (bodyUsedOf(input as Request)) throw new TypeError('Cannot construct a Request with a Request object that has already been used.')
      // the new request takes over the input's body, which becomes used (spec: "disturbed")
      const taken = takeBody(input as Request)
      initBody(this, taken.bytes, taken.stream, taken.text)
    }
  }

  get method(): string { return this.#method }
  get url(): string { return this.#url }
  get headers(): Headers { return this.#headers }
  get redirect(): RequestRedirect { return this.#redirect }
  get signal(): unknown { return this.#signal }
  get destination(): string { return '' }
  get referrer(): string { return 'about:client' }
  get referrerPolicy(): string { return '' }
  get mode(): string { return 'cors' }
  get credentials(): string { return 'same-origin' }
  get cache(): string { return 'default' }
  get integrity(): string { return '' }
  get keepalive(): boolean { return false }
  get duplex(): string { return 'half' }

  clone(): Request {
    if (this.bodyUsed) throw new TypeError('Request.clone: Body has already been consumed.')
    const r = new Request(this.#url, { method: this.#method, headers: this.#headers, redirect: this.#redirect })
    r.#signal = this.#signal
    cloneBody(this, r)
    return r
  }
}
brand(Request, 'Request')
