import type { DomainRecord } from '../../common/model/domain.ts'
import type { FunctionSummary } from '../../common/model/function.ts'
import type { DomainsRepo, FunctionsRepo, UsersRepo } from '../store/repos.ts'
import { buildRouteTable, normalizeRoutePath, type Route, type RouteTable } from './route-table.ts'

export interface RoutingSnapshot {
  table: RouteTable
  verifiedDomains: DomainRecord[]
}

export interface Routing {
  /** Cached for `ttlMs`; API writes invalidate it at once. */
  current(): Promise<RoutingSnapshot>
  /** Always read from the store: conflict checks must not race a stale table. */
  fresh(): Promise<RoutingSnapshot>
  invalidate(): void
}

interface Deps {
  users: UsersRepo
  functions: FunctionsRepo
  domains: DomainsRepo
  /** Optional platform domain: a function with a subdomain and no domain answers at `<subdomain>.<baseDomain>`. */
  baseDomain: string | null
  ttlMs: number
  now: () => number
}

/** Where a function is mounted, if anywhere: on its verified domain, or under the platform's base domain. */
export function routeFor(fn: Pick<FunctionSummary, 'id' | 'subdomain' | 'path' | 'domainId'>, domain: DomainRecord | null, baseDomain: string | null): Route | null {
  if (fn.domainId) {
    if (!domain || domain.verifiedAt === null) return null
    return { host: fn.subdomain ? `${fn.subdomain}.${domain.hostname}` : domain.hostname, path: normalizeRoutePath(fn.path), functionId: fn.id }
  }
  if (fn.subdomain && baseDomain) return { host: `${fn.subdomain}.${baseDomain}`, path: normalizeRoutePath(fn.path), functionId: fn.id }
  return null
}

export function createRouting(deps: Deps): Routing {
  let cached: { at: number; value: Promise<RoutingSnapshot> } | null = null

  const load = async (): Promise<RoutingSnapshot> => {
    const routes: Route[] = []
    const verifiedDomains: DomainRecord[] = []
    for (const user of await deps.users.list()) {
      const domains = new Map((await deps.domains.list(user.id)).map((d) => [d.id, d]))
      for (const d of domains.values()) if (d.verifiedAt !== null) verifiedDomains.push(d)
      for (const fn of await deps.functions.list(user.id)) {
        const route = routeFor(fn, fn.domainId ? (domains.get(fn.domainId) ?? null) : null, deps.baseDomain)
        if (route) routes.push(route)
      }
    }
    return { table: buildRouteTable(routes), verifiedDomains }
  }

  return {
    current() {
      if (cached && deps.now() - cached.at < deps.ttlMs) return cached.value
      const entry = { at: deps.now(), value: load() }
      cached = entry
      entry.value.catch(() => {
        if (cached === entry) cached = null
      })
      return entry.value
    },
    fresh: load,
    invalidate() {
      cached = null
    },
  }
}
