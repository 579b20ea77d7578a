import { AppError, ERROR_CODES, type ErrorCode } from '../../common/errors.ts'
import type { FrontLookup, FrontLookupValue } from './front-protocol.ts'
import { buildRouteTable, type Route, type RouteTable } from './route-table.ts'
import type { ServedFunction } from './served-functions.ts'

const LOOKUP_TIMEOUT_MS = 10_000

interface Entry<T> {
  at: number
  value: Promise<T>
}

/**
 * The worker front's view of routing and served functions: what the host's caches hold, asked for
 * over IPC and kept for the same TTL. An invalidation from the host drops an entry at once; an
 * answer already on its way when one arrives serves its request but is not kept.
 */
export function createFrontLookups(send: (id: number, lookup: FrontLookup) => void, ttlMs: number, now: () => number = Date.now) {
  let nextId = 1
  let generation = 0
  const waiting = new Map<number, { resolve(value: FrontLookupValue): void; reject(error: Error): void; timer: NodeJS.Timeout }>()
  let routes: Entry<{ table: RouteTable }> | null = null
  const functions = new Map<string, Entry<ServedFunction | null>>()

  const ask = (lookup: FrontLookup) =>
    new Promise<FrontLookupValue>((resolve, reject) => {
      const id = nextId++
      const timer = setTimeout(() => {
        waiting.delete(id)
        reject(new AppError('unavailable', 'The server did not answer a routing lookup in time'))
      }, LOOKUP_TIMEOUT_MS)
      waiting.set(id, { resolve, reject, timer })
      send(id, lookup)
    })

  /** Caches `load()` unless an invalidation arrives before it settles, or it fails. */
  const remember = <T>(load: () => Promise<T>, keep: (entry: Entry<T>) => void, forget: (entry: Entry<T>) => void): Promise<T> => {
    const askedAt = generation
    const entry = { at: now(), value: load() }
    keep(entry)
    entry.value.then(
      () => generation !== askedAt && forget(entry),
      () => forget(entry),
    )
    return entry.value
  }

  return {
    routing: {
      current(): Promise<{ table: RouteTable }> {
        if (routes && now() - routes.at < ttlMs) return routes.value
        return remember(
          async () => ({ table: buildRouteTable(((await ask({ what: 'routes' })) as { routes: Route[] }).routes) }),
          (entry) => (routes = entry),
          (entry) => routes === entry && (routes = null),
        )
      },
    },
    served: {
      get(id: string): Promise<ServedFunction | null> {
        const hit = functions.get(id)
        if (hit && now() - hit.at < ttlMs) return hit.value
        return remember(
          async () => ((await ask({ what: 'function', functionId: id })) as { fn: ServedFunction | null }).fn,
          (entry) => functions.set(id, entry),
          (entry) => functions.get(id) === entry && functions.delete(id),
        )
      },
    },
    reply(id: number, answer: { value: FrontLookupValue } | { error: { code: string; message: string } }): void {
      const pending = waiting.get(id)
      if (!pending) return
      waiting.delete(id)
      clearTimeout(pending.timer)
      if ('value' in answer) pending.resolve(answer.value)
      else pending.reject(new AppError(asErrorCode(answer.error.code), answer.error.message))
    },
    invalidate(functionId?: string): void {
      generation++
      if (functionId === undefined) routes = null
      else functions.delete(functionId)
    },
  }
}

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'internal'
}
