import { AppError, ERROR_CODES, type ErrorCode } from '../../common/errors.ts'
import type { FrontLookup, FrontLookupValue } from './front-protocol.ts'
import { buildRouteTable, type Route, type RouteTable } from './route-table.ts'
import type { ServedFunction } from './served-functions.ts'

const LOOKUP_TIMEOUT_MS = 10_000

interface Entry<T> {
  at: number
  value: Promise<T>
  /** Set once `value` fulfilled: only such an entry may be served past its TTL while it is refreshed. */
  ready: boolean
  refreshing: boolean
}

/** Where one cache keeps its entry for a key. */
interface Slot<T> {
  get(): Entry<T> | undefined
  set(entry: Entry<T>): void
  delete(): void
}

/**
 * The worker front's view of routing and served functions: what the host's caches hold, asked for
 * over the worker's side channel and kept for the same TTL (then served while refreshed, see
 * `lookup`). An invalidation from the host drops an entry at once; an answer already on its way
 * when one arrives serves its request but is not kept.
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

  /**
   * Fresh: the cached value. Expired but answered before: still that value while one refresh asks
   * the host (which drops entries at once on its own writes: the TTL only bounds staleness against
   * other processes), so a worker's requests do not all wait on a round trip whenever an entry
   * ages out. Otherwise the host's answer, cached unless an invalidation arrives before it or it fails.
   */
  const lookup = <T>(slot: Slot<T>, load: () => Promise<T>): Promise<T> => {
    const current = slot.get()
    if (current && now() - current.at < ttlMs) return current.value
    const stale = current?.ready ? current : null
    if (stale?.refreshing) return stale.value
    const askedAt = generation
    const entry: Entry<T> = { at: now(), value: load(), ready: false, refreshing: false }
    if (stale) stale.refreshing = true
    else slot.set(entry)
    entry.value.then(
      () => {
        entry.ready = true
        if (generation !== askedAt) {
          if (slot.get() === entry) slot.delete()
        } else if (slot.get() === (stale ?? entry)) slot.set(entry)
      },
      () => {
        if (slot.get() === entry) slot.delete()
        if (stale) stale.refreshing = false
      },
    )
    return stale ? stale.value : entry.value
  }
  const routeSlot: Slot<{ table: RouteTable }> = {
    get: () => routes ?? undefined,
    set: (entry) => (routes = entry),
    delete: () => (routes = null),
  }
  const functionSlot = (id: string): Slot<ServedFunction | null> => ({
    get: () => functions.get(id),
    set: (entry) => functions.set(id, entry),
    delete: () => functions.delete(id),
  })

  return {
    routing: {
      current(): Promise<{ table: RouteTable }> {
        return lookup(routeSlot, async () => ({ table: buildRouteTable(((await ask({ what: 'routes' })) as { routes: Route[] }).routes) }))
      },
    },
    served: {
      get(id: string): Promise<ServedFunction | null> {
        return lookup(functionSlot(id), async () => ((await ask({ what: 'function', functionId: id })) as { fn: ServedFunction | null }).fn)
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
