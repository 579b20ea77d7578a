import { isAppError } from '../../common/errors.ts'
import type { FunctionStatus } from '../../common/model/function.ts'
import type { FunctionHttpSettings } from '../../common/model/http-settings.ts'
import type { RuntimeLanguage } from '../../common/model/invocation.ts'
import { prepareFunction, type PreparedFunction } from '../runtime/prepared-function.ts'
import type { FunctionSettingsRepo, FunctionsRepo, VersionsRepo } from '../store/repos.ts'

/** Everything serving one request needs, resolved once per function version instead of per request. */
export interface ServedFunction {
  id: string
  owner: string
  status: FunctionStatus
  version: number
  /** Validated and hashed once per version: a warm request skips both. */
  spec: PreparedFunction
  settings: FunctionHttpSettings
}

export interface ServedFunctions {
  /** Null when the function does not exist (or has no version yet). */
  get(id: string): Promise<ServedFunction | null>
  /** Called by every API write; the TTL only bounds staleness against writes from another process. */
  invalidate(id: string): void
}

interface Deps {
  functions: FunctionsRepo
  versions: VersionsRepo
  settings: FunctionSettingsRepo
  ttlMs: number
  now: () => number
}

/**
 * Caches the active version's code, config and decrypted env per function, so a warm request
 * costs a Map lookup rather than three queries and an AES-GCM open per variable.
 */
export function createServedFunctions(deps: Deps): ServedFunctions {
  const cache = new Map<string, { loadedAt: number; value: Promise<ServedFunction | null> }>()

  const load = async (id: string): Promise<ServedFunction | null> => {
    try {
      const fn = await deps.functions.get(id)
      if (fn.activeVersion === null) return null
      const [version, envVars, settings] = await Promise.all([
        deps.versions.get(id, fn.activeVersion),
        deps.functions.revealEnvVars(id),
        deps.settings.get(id),
      ])
      const { runtime, handler, timeoutMs, memoryMb } = version.config
      // Same shape as `checkCompiles` builds, so a save's compile check leaves exactly this version warm.
      const spec = prepareFunction({ id, code: version.code, runtime, handler, timeoutMs, memoryMb, envVars, filename: sourceFilename(fn.name, runtime) })
      return { id, owner: fn.owner, status: fn.status, version: version.number, spec, settings }
    } catch (error) {
      if (isAppError(error) && error.code === 'not_found') return null
      throw error
    }
  }

  return {
    get(id) {
      const hit = cache.get(id)
      if (hit && deps.now() - hit.loadedAt < deps.ttlMs) return hit.value
      const value = load(id)
      const entry = { loadedAt: deps.now(), value }
      cache.set(id, entry)
      // A failed load (e.g. a decryption error) is not cached: the next request tries again.
      value.catch(() => {
        if (cache.get(id) === entry) cache.delete(id)
      })
      return value
    },
    invalidate(id) {
      cache.delete(id)
    },
  }
}

/** The name stack traces show for a function's code. */
export function sourceFilename(name: string, runtime: RuntimeLanguage): string {
  return `${name}.${runtime === 'TYPESCRIPT' ? 'ts' : 'js'}`
}
