import type { WireFetchRequest, WireFetchResponse } from './guest/wire.ts'

export interface FetchLimits {
  /** Subrequests one invocation may start. */
  maxSubrequests: number
  /** Bytes of one subrequest's response body the function may read. */
  maxResponseBytes: number
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = { maxSubrequests: 50, maxResponseBytes: 10 * 1024 * 1024 }

/**
 * The host side of the guest's `fetch`: a plain implementation that validates the guest's request,
 * bounds it by the invocation's signal (deadline or end of invocation) and caps the body it reads.
 * The egress policy (private ranges, DNS pinning) belongs to the runtime-hardening work.
 */
export async function hostFetch(request: WireFetchRequest, signal: AbortSignal, limits: FetchLimits): Promise<WireFetchResponse> {
  const url = parseTarget(request.url)
  const headers = new Headers()
  for (const pair of Array.isArray(request.headers) ? request.headers : []) {
    if (Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string') headers.append(pair[0], pair[1])
  }
  const body = request.body instanceof Uint8Array && request.body.byteLength > 0 ? request.body : undefined
  const redirect = request.redirect === 'manual' || request.redirect === 'error' ? request.redirect : 'follow'
  const response = await fetch(url, { method: String(request.method), headers, body, redirect, signal })
  const bytes = await readCapped(response, limits.maxResponseBytes)
  const responseHeaders: [string, string][] = []
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') responseHeaders.push([name, value])
  })
  for (const cookie of response.headers.getSetCookie()) responseHeaders.push(['set-cookie', cookie])
  return { status: response.status, statusText: response.statusText, headers: responseHeaders, body: bytes, url: response.url, redirected: response.redirected }
}

function parseTarget(raw: unknown): URL {
  if (typeof raw !== 'string') throw new TypeError('fetch needs a URL string')
  const url = new URL(raw)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`fetch only supports http: and https: URLs, not ${url.protocol}`)
  return url
}

async function readCapped(response: Response, max: number): Promise<Uint8Array> {
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
