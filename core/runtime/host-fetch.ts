import { Agent, fetch as undiciFetch, type Response as UndiciResponse, type buildConnector } from 'undici'
import type { WireFetchRequest, WireFetchResponse } from './guest/wire.ts'
import { EgressRefused, checkLiteralHost, pinnedLookup, type EgressPolicy } from './egress/egress-policy.ts'

export interface FetchLimits {
  /** Subrequests one invocation may start. */
  maxSubrequests: number
  /** Subrequests of one invocation in flight at once; more wait for a free slot. */
  maxConcurrent: number
  /** Bytes of one subrequest's response body (after decompression) the function may read. */
  maxResponseBytes: number
  /** Bytes of a subrequest's body and headers the function may send. */
  maxRequestBytes: number
  maxRedirects: number
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  maxSubrequests: 50,
  maxConcurrent: 6,
  maxResponseBytes: 10 * 1024 * 1024,
  maxRequestBytes: 10 * 1024 * 1024,
  maxRedirects: 20,
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Never forwarded from the function: framing is ours, and these would let it smuggle or spoof. */
const DROPPED_REQUEST_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length', 'expect'])
/** Credentials that must not follow a redirect to another origin. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization'])

/**
 * The host side of the guest's `fetch`: every hop's destination is checked by the egress policy
 * and connected to at the address that was checked; redirects are followed here, one checked hop at
 * a time; the body read is capped; everything is bound to the invocation's signal.
 */
export class HostFetcher {
  private readonly policy: EgressPolicy
  private readonly limits: FetchLimits
  private readonly dispatcher: Agent

  /** `connector` replaces the socket layer in tests (a recording stub that never leaves the machine). */
  constructor(policy: EgressPolicy, limits: FetchLimits = DEFAULT_FETCH_LIMITS, connector?: buildConnector.connector) {
    this.policy = policy
    this.limits = limits
    this.dispatcher = new Agent({ connect: connector ?? { lookup: pinnedLookup(policy) as never, timeout: 10_000 }, keepAliveTimeout: 4000 })
  }

  get fetchLimits(): FetchLimits {
    return this.limits
  }

  async fetch(request: WireFetchRequest, signal: AbortSignal): Promise<WireFetchResponse> {
    let url = this.target(request.url)
    let method = typeof request.method === 'string' ? request.method.toUpperCase() : 'GET'
    let headers = this.requestHeaders(request.headers)
    let body = request.body instanceof Uint8Array && request.body.byteLength > 0 ? request.body : undefined
    if (body && body.byteLength > this.limits.maxRequestBytes) throw new RangeError(`the request body is larger than ${this.limits.maxRequestBytes} bytes`)
    const mode = request.redirect === 'manual' || request.redirect === 'error' ? request.redirect : 'follow'

    for (let hop = 0; ; hop++) {
      checkLiteralHost(url, this.policy)
      const response = await undiciFetch(url, { method, headers, body, redirect: 'manual', signal, dispatcher: this.dispatcher }).catch((error: unknown) => {
        // undici wraps connection failures in "fetch failed"; a policy refusal should say why.
        const cause = (error as { cause?: unknown }).cause
        throw cause instanceof EgressRefused ? cause : error
      })
      const location = response.headers.get('location')
      if (!REDIRECTS.has(response.status) || location === null || mode === 'manual') return this.wire(response, url, hop > 0)
      await response.body?.cancel().catch(() => undefined)
      if (mode === 'error') throw new TypeError(`redirect to ${location} refused: the request's redirect mode is "error"`)
      if (hop >= this.limits.maxRedirects) throw new TypeError(`too many redirects (more than ${this.limits.maxRedirects})`)
      const next = this.target(new URL(location, url).href)
      if (next.origin !== url.origin) headers = headers.filter(([name]) => !CREDENTIAL_HEADERS.has(name))
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        if (method !== 'HEAD') method = 'GET'
        body = undefined
        headers = headers.filter(([name]) => !name.startsWith('content-'))
      }
      url = next
    }
  }

  close(): Promise<void> {
    return this.dispatcher.close()
  }

  private target(raw: unknown): URL {
    if (typeof raw !== 'string' || raw.length > 64 * 1024) throw new TypeError('fetch needs a URL string')
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch only supports http: and https: URLs, not ${url.protocol}`)
    if (url.username || url.password) throw new TypeError('fetch does not send credentials embedded in the URL')
    return url
  }

  private requestHeaders(raw: unknown): [string, string][] {
    const out: [string, string][] = []
    let size = 0
    for (const pair of Array.isArray(raw) ? raw : []) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') throw new TypeError('invalid request header')
      const name = pair[0].toLowerCase()
      size += name.length + pair[1].length
      if (size > this.limits.maxRequestBytes) throw new RangeError('the request headers are too large')
      if (!DROPPED_REQUEST_HEADERS.has(name)) out.push([name, pair[1]])
    }
    return out
  }

  private async wire(response: UndiciResponse, url: URL, redirected: boolean): Promise<WireFetchResponse> {
    const body = await readCapped(response, this.limits.maxResponseBytes)
    const headers: [string, string][] = []
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') headers.push([name, value])
    })
    for (const cookie of response.headers.getSetCookie()) headers.push(['set-cookie', cookie])
    return { status: response.status, statusText: response.statusText, headers, body, url: url.href, redirected }
  }
}

async function readCapped(response: UndiciResponse, max: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0)
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of response.body) {
    total += chunk.byteLength
    if (total > max) {
      await response.body.cancel().catch(() => undefined)
      throw new RangeError(`the response body is larger than ${max} bytes`)
    }
    chunks.push(chunk)
  }
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.byteLength
  }
  return out
}

/** What the function sees when a subrequest fails: short, and never a host stack. */
export function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'the invocation ended or reached its deadline before the response arrived'
  if (error instanceof EgressRefused) return error.message
  const cause = (error as Error & { cause?: unknown }).cause
  if (cause instanceof EgressRefused) return cause.message
  if (cause instanceof Error) return `${error.message} (${(cause as NodeJS.ErrnoException).code ?? cause.message})`
  return error.message
}
