import { AppError } from '../../common/errors.ts'
import { hostOf, type RouteTable } from './route-table.ts'
import type { ServedFunction } from './served-functions.ts'

/** What finding a target needs: the host's caches, or a worker front's copies of them. */
export interface TargetLookups {
  routing: { current(): Promise<{ table: RouteTable }> }
  served: { get(id: string): Promise<ServedFunction | null> }
}

const FN_PREFIX = /^\/fn\/([^/]+)(\/.*)?$/

export interface FunctionTarget {
  fn: ServedFunction
  /** The path the function sees. */
  path: string
}

/**
 * Which function a request belongs to, or null when it is not function traffic. Custom domains
 * come first: a Host that is a routed domain belongs to its functions entirely (its `/api` is the
 * function's, not ours). Then `/fn/:id/rest`, which reaches the function as path `/rest`.
 */
export async function findFunctionTarget(ctx: TargetLookups, hostHeader: string | undefined, pathname: string): Promise<FunctionTarget | null> {
  const host = hostOf(hostHeader)
  if (host) {
    const { table } = await ctx.routing.current()
    if (table.hasHost(host)) {
      const route = table.match(host, pathname)
      if (!route) throw new AppError('not_found', `No function is routed at ${pathname} on ${host}`)
      return { fn: await byId(ctx, route.functionId), path: pathname }
    }
  }
  if (pathname !== '/fn' && !pathname.startsWith('/fn/')) return null
  // Matched on the raw path: the id and the rest go to the function exactly as the client sent them.
  const match = FN_PREFIX.exec(pathname)
  if (!match) throw new AppError('not_found', 'Use /fn/<function id>/<path>')
  let id: string
  try {
    id = decodeURIComponent(match[1]!)
  } catch {
    throw new AppError('not_found', 'Malformed function id')
  }
  return { fn: await byId(ctx, id), path: match[2] ?? '/' }
}

async function byId(ctx: TargetLookups, id: string): Promise<ServedFunction> {
  const fn = id.length <= 200 ? await ctx.served.get(id) : null
  if (!fn) throw new AppError('not_found', `No function ${id.slice(0, 200)}`)
  return fn
}
