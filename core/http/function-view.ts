import type { FunctionRecord, FunctionSummary } from '../../common/model/function.ts'
import type { FunctionHttpSettings } from '../../common/model/http-settings.ts'

/** A function as the API shows it: the seed's field names, env var names only, and where it is served. */
export function functionView(fn: FunctionRecord | FunctionSummary, settings: FunctionHttpSettings) {
  const { timeoutMs, memoryMb, owner: _owner, ...rest } = fn
  return { ...rest, timeout: timeoutMs, memory: memoryMb, rateLimit: settings.rateLimit, debugResponses: settings.debugResponses, url: `/fn/${fn.id}` }
}
