import type { HostHooks } from './host-hooks.ts'
import type { AttachResult, HandlerForm, ModuleState, WireOutcome, WireRequest } from './wire.ts'
import { runAs } from './current-invocation.ts'
import { normalizeResponse } from './normalize-response.ts'
import { buildRequest } from './seed-request.ts'
import { toWireError } from './wire-error.ts'

// Captured before user code runs, so a function that patches Promise or Reflect only breaks itself.
const apply = Reflect.apply
const then = Promise.prototype.then
const resolve = Promise.resolve.bind(Promise)

type Handler = (...args: unknown[]) => unknown

/** Binds the user's module to the host: which export to call, and how (seed or Web `fetch` form). */
export function createEntry(hooks: HostHooks, env: () => Readonly<Record<string, string>>) {
  let form: HandlerForm = 'seed'
  let target: Handler | null = null
  let receiver: unknown = undefined
  let moduleState: ModuleState = { state: 'pending' }
  /** Invocations that arrived while top-level await was still running. */
  const waiting: [number, WireRequest][] = []
  const ctx = Object.freeze({
    waitUntil(promise: unknown) {
      apply(then, resolve(promise), [undefined, () => undefined])
    },
    passThroughOnException() {},
  })

  function attach(namespace: Record<string, unknown>, handlerName: string): AttachResult {
    let exported: unknown
    try {
      exported = namespace[handlerName]
    } catch (error) {
      return { ok: false, message: `The export '${handlerName}' could not be read: ${toWireError(error).message}` }
    }
    if (handlerName === 'default' && exported !== null && typeof exported === 'object') {
      const fetch = (exported as { fetch?: unknown }).fetch
      if (typeof fetch === 'function') {
        form = 'fetch-object'
        target = fetch as Handler
        receiver = exported
        return { ok: true, form }
      }
    }
    if (typeof exported === 'function') {
      form = 'seed'
      target = exported as Handler
      return { ok: true, form }
    }
    if (handlerName === 'default') {
      return {
        ok: false,
        message:
          exported === undefined
            ? 'The module has no default export: write `export default async function handler(request) { … }` or `export default { fetch(request, env, ctx) { … } }`'
            : 'The default export is neither a function nor an object with a fetch method',
      }
    }
    return { ok: false, message: `The module does not export a function named '${handlerName}'` }
  }

  /**
   * Arms the one-shot callback the host's entry shim calls with the module namespace once the
   * module (including any top-level await) has finished evaluating. The shim's internal module
   * reads it from the global and deletes it before any user code runs.
   */
  function expectModule(handlerName: string): void {
    Object.defineProperty(globalThis, '__edgepadModuleReady', {
      configurable: true,
      value: (namespace: Record<string, unknown>) => {
        const attached = attach(namespace, handlerName)
        moduleState = attached.ok ? { state: 'ready', form: attached.form } : { state: 'failed', message: attached.message }
        for (const [invocationId, wire] of waiting.splice(0)) invoke(invocationId, wire)
      },
    })
  }

  function complete(invocationId: number, outcome: WireOutcome): void {
    hooks.complete(invocationId, outcome)
  }

  function invoke(invocationId: number, wire: WireRequest): void {
    if (moduleState.state === 'pending') {
      waiting.push([invocationId, wire])
      return
    }
    if (moduleState.state === 'failed') {
      const { message } = moduleState
      complete(invocationId, { kind: 'compile_error', error: { name: 'CompileError', message, stack: message } })
      return
    }
    runAs(invocationId, () => {
      let result: unknown
      try {
        if (!target) throw new Error('No handler attached')
        const request = buildRequest(wire)
        result = form === 'fetch-object' ? apply(target, receiver, [request, env(), ctx]) : apply(target, undefined, [request])
      } catch (error) {
        complete(invocationId, { kind: 'runtime_error', error: toWireError(error) })
        return
      }
      apply(then, resolve(result), [
        (value: unknown) =>
          runAs(invocationId, () => {
            let outcome: WireOutcome
            try {
              outcome = normalizeResponse(value)
            } catch (error) {
              outcome = { kind: 'runtime_error', error: toWireError(error) }
            }
            complete(invocationId, outcome)
          }),
        (error: unknown) => runAs(invocationId, () => complete(invocationId, { kind: 'runtime_error', error: toWireError(error) })),
      ])
    })
  }

  return { expectModule, moduleState: () => moduleState, invoke }
}
