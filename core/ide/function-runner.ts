import { Buffer } from 'node:buffer'
import { toRequestInput, type RequestSpec } from '../../common/ide/request-spec.ts'
import type { RunResult } from '../../common/ide/run-result.ts'
import type { FunctionRecord } from '../../common/model/function.ts'
import type { FunctionSpecInput, InvocationResult } from '../../common/model/invocation.ts'
import type { Runtime } from '../runtime/runtime.ts'
import { uuidV7 } from '../store/ids.ts'
import type { Store } from '../store/repos.ts'

export interface RunnerDeps {
  store: Store
  runtime: Runtime
  /** Called once the invocation is committed to the log. */
  onLogged?: (functionId: string, invocationId: string) => void
  now?: () => number
}

export interface FunctionRunner {
  run(functionId: string, request: RequestSpec, code?: string): Promise<RunResult>
  /** The runtime spec for a stored function, optionally with other code (an unsaved draft). */
  specFor(fn: FunctionRecord, code?: string): Promise<FunctionSpecInput>
  lastRuns(): Record<string, { at: number; coldStart: boolean }>
}

function decodeText(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

export function toRunResult(invocationId: string, version: number, result: InvocationResult): RunResult {
  const body = result.response.body
  return {
    invocationId,
    outcome: result.outcome,
    status: result.response.statusCode,
    headers: result.response.headers,
    body: { text: decodeText(body), base64: Buffer.from(body).toString('base64'), sizeBytes: body.byteLength },
    error: result.error ?? null,
    console: result.console,
    metrics: result.metrics,
    version,
  }
}

/** Runs a stored function (or a draft of it) and logs every run with trigger TEST, as the server does. */
export function createFunctionRunner(deps: RunnerDeps): FunctionRunner {
  const now = deps.now ?? Date.now
  const last = new Map<string, { at: number; coldStart: boolean }>()

  async function specFor(fn: FunctionRecord, code?: string): Promise<FunctionSpecInput> {
    return {
      id: fn.id,
      code: code ?? fn.code,
      runtime: fn.runtime,
      handler: fn.handler,
      envVars: await deps.store.functions.revealEnvVars(fn.id),
      timeoutMs: fn.timeoutMs,
      memoryMb: fn.memoryMb,
      filename: `${fn.name}.${fn.runtime === 'TYPESCRIPT' ? 'ts' : 'js'}`,
    }
  }

  return {
    specFor,
    lastRuns: () => Object.fromEntries(last),
    async run(functionId, spec, code) {
      const fn = await deps.store.functions.get(functionId)
      const version = code === undefined || code === fn.code ? (fn.activeVersion ?? 0) : 0
      const request = toRequestInput(spec)
      const invocationId = uuidV7()
      const startedAt = now()
      let logged: Promise<unknown> | null = null
      // onFinal carries the complete result (ctx.waitUntil console lines included): that is what the log keeps.
      const onFinal = (final: InvocationResult) => {
        logged = deps.store.invocations
          .append({ id: invocationId, functionId, version, trigger: 'TEST', request: { ...request, url: `http://localhost${request.path}`, query: request.query }, result: final, startedAt })
          .then(() => deps.onLogged?.(functionId, invocationId))
          .catch((error: unknown) => console.error('[ide] could not log invocation', error))
      }
      const result = await deps.runtime.run(await specFor(fn, code), request, { onFinal })
      last.set(functionId, { at: now(), coldStart: result.metrics.coldStart })
      // A run without background work is logged before we answer, so the log view finds it at once.
      if (!result.background && logged) await logged
      return toRunResult(invocationId, version, result)
    },
  }
}
