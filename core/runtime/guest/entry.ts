import type { HostHooks } from './host-hooks.ts'
import type { AttachResult, HandlerForm, ModuleState, PackedHeaders, WireBody, WireOutcome, WireRequest, WireRequestHead } from './wire.ts'
import { currentInvocation, runAs } from './current-invocation.ts'
import { normalizeResponse } from './normalize-response.ts'
import { buildRequest } from './seed-request.ts'
import { toWireError } from './wire-error.ts'

// Captured before user code runs, so a function that patches Promise or Reflect only breaks itself.
const apply = Reflect.apply
const then = Promise.prototype.then
const resolve = Promise.resolve.bind(Promise)
const NativePromise = Promise
const parseJSON = JSON.parse

/** Headers for the \`complete\` hook (format: PackedHeaders). Concatenation only: nothing user code can patch runs here. */
function packHeaders(headers: [string, string][]): PackedHeaders {
  let packed = ''
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i]!
    const name = pair[0]
    const value = pair[1]
    packed += name.length + ':' + name + value.length + ':' + value
  }
  return packed
}

type Handler = (...args: unknown[]) => unknown

/** Binds the user's module to the host: which export to call, and how (seed or Web `fetch` form). */
export function createEntry(hooks: HostHooks, env: () => Readonly<Record<string, string>>) {
  let form: HandlerForm = 'seed'
  let target: Handler | null = null
  let receiver: unknown = undefined
  let moduleState: ModuleState = { state: 'pending' }
  /** Invocations that arrived while top-level await was still running. */
  const waiting: [number, WireRequest][] = []
  // Pending ctx.waitUntil promises per invocation; the host keeps an invocation open while its
  // count is above zero (hook `waitUntil`), after the response has been returned.
  const waitUntilCounts = new Map<number, number>()
  const settleWait = (invocationId: number) => {
    const left = (waitUntilCounts.get(invocationId) ?? 1) - 1
    if (left > 0) waitUntilCounts.set(invocationId, left)
    else waitUntilCounts.delete(invocationId)
    hooks.waitUntil(invocationId, left)
  }
  const ctx = Object.freeze({
    waitUntil(promise: unknown) {
      const invocationId = currentInvocation()
      const count = (waitUntilCounts.get(invocationId) ?? 0) + 1
      waitUntilCounts.set(invocationId, count)
      hooks.waitUntil(invocationId, count)
      apply(then, resolve(promise), [
        () => settleWait(invocationId),
        (error: unknown) => {
          const e = toWireError(error)
          hooks.console(invocationId, 'error', `Uncaught (in waitUntil) ${e.name === 'Uncaught' ? e.message : e.stack}`)
          settleWait(invocationId)
        },
      ])
    },
    // Accepted for compatibility: there is no origin to fall back to, an exception is a 500.
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
        for (const [invocationId, wire] of waiting.splice(0)) start(invocationId, wire)
      },
    })
  }

  function complete(invocationId: number, outcome: WireOutcome): void {
    if (outcome.kind === 'ok') {
      const { response } = outcome
      hooks.complete(invocationId, 'ok', response.status, packHeaders(response.headers), response.body)
    } else {
      const { error } = outcome
      hooks.complete(invocationId, outcome.kind, error.name, error.message, error.stack)
    }
  }

  /** The host's entry: the request's fixed fields arrive as JSON text (WireRequestHead), the body beside them. */
  function invoke(invocationId: number, head: string, body: WireBody, text: string | undefined): void {
    const [method, url, path, query, headers] = parseJSON(head) as WireRequestHead
    const wire: WireRequest = { method, url, path, query, headers, body }
    if (text !== undefined) wire.text = text
    start(invocationId, wire)
  }

  function start(invocationId: number, wire: WireRequest): void {
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
        const request = buildRequest(wire, form === 'seed')
        result = form === 'fetch-object' ? apply(target, receiver, [request, env(), ctx]) : apply(target, undefined, [request])
      } catch (error) {
        complete(invocationId, { kind: 'runtime_error', error: toWireError(error) })
        return
      }
      apply(then, resolve(result), [
        (value: unknown) =>
          runAs(invocationId, () => {
            let outcome: WireOutcome | Promise<WireOutcome>
            try {
              outcome = normalizeResponse(value)
            } catch (error) {
              outcome = { kind: 'runtime_error', error: toWireError(error) }
            }
            // A stream body is read asynchronously; anything else completes right here.
            if (!(outcome instanceof NativePromise)) return complete(invocationId, outcome)
            apply(then, outcome, [
              (done: WireOutcome) => runAs(invocationId, () => complete(invocationId, done)),
              (error: unknown) => runAs(invocationId, () => complete(invocationId, { kind: 'runtime_error', error: toWireError(error) })),
            ])
          }),
        (error: unknown) => runAs(invocationId, () => complete(invocationId, { kind: 'runtime_error', error: toWireError(error) })),
      ])
    })
  }

  return { expectModule, moduleState: () => moduleState, invoke }
}
