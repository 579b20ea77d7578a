import type { FunctionSpec, FunctionSpecInput } from '../../common/model/invocation.ts'
import { functionSpecSchema } from '../../common/model/invocation.ts'
import { parseOrThrow } from '../../common/validation.ts'
import { functionKey } from './function-key.ts'

/** A function spec validated and hashed once, for callers that run the same version many times. */
export interface PreparedFunction {
  readonly spec: Readonly<FunctionSpec>
  readonly key: string
}

const prepared = new WeakSet<object>()

/** Validates (AppError `validation_failed` on bad input) and hashes the spec; the result is frozen. */
export function prepareFunction(input: FunctionSpecInput): PreparedFunction {
  const spec = parseOrThrow(functionSpecSchema, input, 'function')
  Object.freeze(spec.envVars)
  const result = Object.freeze({ spec: Object.freeze(spec), key: functionKey(spec) })
  prepared.add(result)
  return result
}

/** Only objects made by `prepareFunction` count: a look-alike object is validated like any input. */
export function isPreparedFunction(value: unknown): value is PreparedFunction {
  return typeof value === 'object' && value !== null && prepared.has(value)
}
