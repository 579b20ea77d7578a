import type { HostHooks } from './host-hooks.ts'
import type { AttachResult, HandlerForm, WireOutcome, WireRequest } from './wire.ts'
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

  function complete(invocationId: number, outcome: WireOutcome): void {
    hooks.complete(invocationId, outcome)
  }

  function invoke(invocationId: number, wire: WireRequest): void {
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

  return { attach, invoke }
}
