import { afterAll, beforeAll } from 'vitest'
import type { FunctionSpecInput, InvocationResult } from '../../common/model/invocation.ts'
import type { RequestInput } from './request-input.ts'
import { createRuntime, type Runtime, type RuntimeOptions } from './runtime.ts'

let counter = 0

/** One real runtime (real worker processes, real isolates) shared by the tests of one file. */
export function useRuntime(options: RuntimeOptions = {}) {
  let runtime: Runtime
  beforeAll(() => {
    runtime = createRuntime({ workers: 2, ...options })
  })
  afterAll(async () => {
    await runtime?.close()
  })
  return {
    get runtime() {
      return runtime
    },
    /** Runs `code` as a fresh function (unique id) unless `spec.id` is given. */
    run(code: string, request?: RequestInput, spec: Partial<FunctionSpecInput> = {}): Promise<InvocationResult> {
      return runtime.run({ id: `fn-${process.pid}-${++counter}`, code, ...spec }, request)
    },
  }
}

export function text(result: InvocationResult): string {
  return new TextDecoder().decode(result.response.body)
}

export function json(result: InvocationResult): unknown {
  return JSON.parse(text(result))
}
