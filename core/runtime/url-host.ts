import type { UrlParts } from './guest/wire.ts'

const MAX_URL_LENGTH = 64 * 1024

/** The guest's `URL` parses through Node's WHATWG parser (ada), which is exact and already here. */
export function urlParse(input: unknown, base: unknown): UrlParts | null {
  if (typeof input !== 'string' || input.length > MAX_URL_LENGTH) return null
  if (base !== undefined && (typeof base !== 'string' || base.length > MAX_URL_LENGTH)) return null
  try {
    return partsOf(new URL(input, base))
  } catch {
    return null
  }
}

const SETTABLE = new Set(['href', 'protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'])

/** Applies one component setter exactly as the WHATWG URL setters do; `null` when the href is invalid. */
export function urlSet(href: unknown, component: unknown, value: unknown): UrlParts | null {
  if (typeof href !== 'string' || typeof component !== 'string' || typeof value !== 'string') return null
  if (!SETTABLE.has(component) || href.length > MAX_URL_LENGTH || value.length > MAX_URL_LENGTH) return null
  try {
    const url = new URL(href)
    ;(url as unknown as Record<string, string>)[component] = value
    return partsOf(url)
  } catch {
    return null
  }
}

function partsOf(url: URL): UrlParts {
  return {
    href: url.href,
    origin: url.origin,
    protocol: url.protocol,
    username: url.username,
    password: url.password,
    host: url.host,
    hostname: url.hostname,
    port: url.port,
    pathname: url.pathname,
    search: url.search,
    hash: url.hash,
  }
}
