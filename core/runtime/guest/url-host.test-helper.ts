// Reference host side of the guest URL hooks (see the contract at the top of url.ts). The
// runtime bridge can copy this: wrap each function in `new ivm.Callback(fn)`, install them on
// the context global, and have the bootstrap pass them to `installURLHost` and delete them.
import type { URLComponent, URLParts } from './url.ts'

const COMPONENTS = new Set<string>(['protocol', 'username', 'password', 'host', 'hostname', 'port', 'pathname', 'search', 'hash'])

function parts(u: URL): URLParts {
  const { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash } = u
  return { href, origin, protocol, username, password, host, hostname, port, pathname, search, hash }
}

export function urlHostParse(input: unknown, base: unknown): URLParts | null {
  if (typeof input !== 'string' || (base !== undefined && typeof base !== 'string')) return null
  const u = URL.parse(input, base)
  return u ? parts(u) : null
}

export function urlHostSet(href: unknown, component: unknown, value: unknown): URLParts | null {
  if (typeof href !== 'string' || typeof component !== 'string' || typeof value !== 'string' || !COMPONENTS.has(component)) return null
  const u = URL.parse(href)
  if (!u) return null
  u[component as URLComponent] = value
  return parts(u)
}
