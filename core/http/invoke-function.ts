import type { InvocationTrigger } from '../../common/model/invocation-log.ts'
import type { EdgeRequest, InvocationResult } from '../../common/model/invocation.ts'
import { prepareRequest, type RequestInput } from '../runtime/request-input.ts'
import type { Runtime } from '../runtime/runtime.ts'
import type { InvocationsRepo } from '../store/repos.ts'
import { uuidV7 } from '../store/ids.ts'
import type { BegunInvocation } from './front-protocol.ts'
import type { ServedFunction } from './served-functions.ts'

export interface Invoked {
  invocationId: string
  request: EdgeRequest
  result: InvocationResult
}

export interface InvokeDeps {
  runtime: Pick<Runtime, 'run'>
  /** Where invocations are logged; `discardingLog` when the server runs with its log off. */
  invocations: Pick<InvocationsRepo, 'append' | 'enqueue'>
  now: () => number
  onLogError: (error: unknown) => void
  /** Told before the function runs (a worker's front: so the host can log it even if the worker dies). */
  began?: (invocation: BegunInvocation) => void
}

/**
 * Runs one invocation of the active version and logs it. `acknowledged` waits until the log row
 * is committed (test invokes, whose caller reads the log next); served traffic only queues it.
 */
/** A log that keeps nothing (EDGEPAD_INVOCATION_LOG=off): ids are still issued, rows are not written. */
export const discardingLog: InvokeDeps['invocations'] = {
  enqueue: (invocation) => invocation.id ?? uuidV7(),
  append: async (invocation) => invocation.id ?? uuidV7(),
}

export async function invokeFunction(deps: InvokeDeps, fn: ServedFunction, input: RequestInput, trigger: InvocationTrigger, acknowledged = false): Promise<Invoked> {
  const request = prepareRequest(input)
  const startedAt = deps.now()
  const invocationId = uuidV7(startedAt)
  let logged: Promise<unknown> = Promise.resolve()
  // Logged from the final result, so console lines of ctx.waitUntil work after the response are kept.
  const log = (result: InvocationResult) => {
    const entry = { id: invocationId, functionId: fn.id, version: fn.version, trigger, request, result, startedAt }
    try {
      if (acknowledged) logged = deps.invocations.append(entry).catch(deps.onLogError)
      else deps.invocations.enqueue(entry)
    } catch (error) {
      // Losing a log row must not lose the caller's response.
      deps.onLogError(error)
    }
  }
  deps.began?.({ id: invocationId, functionId: fn.id, version: fn.version, trigger, request, startedAt })
  let finalSeen: Promise<void> = Promise.resolve()
  let settleFinal: () => void = () => undefined
  if (acknowledged) finalSeen = new Promise<void>((resolve) => (settleFinal = resolve))
  const result = await deps.runtime.run(fn.spec, request, {
    onFinal(final) {
      log(final)
      settleFinal()
    },
  })
  if (acknowledged) {
    await finalSeen
    await logged
  }
  return { invocationId, request, result }
}
