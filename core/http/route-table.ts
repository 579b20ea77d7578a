/** One function mounted at `path` on `host` (a verified domain, or a subdomain of one). */
export interface Route {
  host: string
  path: string
  functionId: string
}

export interface RouteTable {
  /** Longest matching path prefix on this host, on segment boundaries (`/api` matches `/api/x`, not `/apix`). */
  match(host: string, path: string): Route | null
  hasHost(host: string): boolean
  hosts(): string[]
  /** Every route, as given (paths normalized): what a worker's front rebuilds the same table from. */
  routes(): Route[]
  /** The route already holding exactly this host and path, other than `exceptFunctionId`'s. */
  conflict(route: Route): Route | null
}

export function normalizeRoutePath(path: string | null): string {
  if (!path || path === '/') return '/'
  return path.endsWith('/') ? path.slice(0, -1) : path
}

export function buildRouteTable(routes: readonly Route[]): RouteTable {
  const byHost = new Map<string, Route[]>()
  for (const route of routes) {
    const list = byHost.get(route.host) ?? []
    list.push({ ...route, path: normalizeRoutePath(route.path) })
    byHost.set(route.host, list)
  }
  // Longest prefix first, so the first match wins.
  for (const list of byHost.values()) list.sort((a, b) => b.path.length - a.path.length)
  return {
    match(host, path) {
      const list = byHost.get(host.toLowerCase())
      if (!list) return null
      for (const route of list) {
        if (route.path === '/' || path === route.path || path.startsWith(`${route.path}/`)) return route
      }
      return null
    },
    hasHost: (host) => byHost.has(host.toLowerCase()),
    hosts: () => [...byHost.keys()].sort(),
    routes: () => [...byHost.values()].flat(),
    conflict(route) {
      const path = normalizeRoutePath(route.path)
      return byHost.get(route.host)?.find((r) => r.path === path && r.functionId !== route.functionId) ?? null
    },
  }
}

/** The Host header without port, lowercased; null when absent or not a plausible hostname. */
export function hostOf(header: string | undefined): string | null {
  if (!header) return null
  const host = header.trim().toLowerCase().replace(/:\d{1,5}$/, '').replace(/\.$/, '')
  return /^[a-z0-9.-]{1,253}$/.test(host) ? host : null
}
