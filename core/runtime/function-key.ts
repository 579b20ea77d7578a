import { createHash } from 'node:crypto'
import type { FunctionSpec } from '../../common/model/invocation.ts'

/**
 * Identity of one compiled function version inside the runtime: code, config and env.
 * Two specs with the same key may share a warm isolate; anything else never does.
 */
export function functionKey(spec: FunctionSpec): string {
  const hash = createHash('sha256')
  const envNames = Object.keys(spec.envVars).sort()
  hash.update(JSON.stringify([spec.id, spec.code, spec.runtime, spec.handler, spec.timeoutMs, spec.memoryMb, spec.filename ?? null]))
  for (const name of envNames) hash.update(`\0${name}\0${spec.envVars[name]}`)
  return hash.digest('hex')
}
