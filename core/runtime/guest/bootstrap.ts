/**
 * Runs first in every new context. Builds the Web-platform globals, takes the host hooks as
 * arguments (so they are never reachable from the global object), locks code generation down and
 * hands the host a small API: setEnv, attach, invoke, deliver.
 */
import type { HostHooks } from './host-hooks.ts'
import { HOOK_NAMES } from './host-hooks.ts'
import { atob, btoa, DOMException } from './base64.ts'
import { createConsole } from './guest-console.ts'
import { createCrypto } from './guest-crypto.ts'
import { createFetch } from './guest-fetch.ts'
import { setCurrentInvocation } from './current-invocation.ts'
import { createEntry } from './entry.ts'
import { normalizeResponse } from './normalize-response.ts'
import { buildRequest } from './seed-request.ts'
import { Headers } from './headers.ts'
import { deliver } from './host-ops.ts'
import { lockdown } from './lockdown.ts'
import { Request } from './request.ts'
import { Response } from './response.ts'
import { structuredClone } from './structured-clone.ts'
import { TextDecoder, TextEncoder, useNativeCodec } from './text-encoding.ts'
import { createTimers } from './timers.ts'
import { extras, setupExtras } from './extras-loader.ts'
import { EXTRA_GLOBALS } from './extras/names.ts'
import { currentInvocation } from './current-invocation.ts'
import { dropOp, startOp } from './host-ops.ts'
import { createURLClass } from './url.ts'
import { URLSearchParams } from './url-search-params.ts'

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key])
    Object.freeze(value)
  }
  return value
}

/** A property that builds its value on first read, then becomes a plain data property. */
function lazyGlobal(target: Record<string, unknown>, name: string, build: () => unknown, enumerable = false): void {
  const define = (value: unknown) => Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable })
  Object.defineProperty(target, name, {
    get() {
      const value = build()
      define(value)
      return value
    },
    set: define,
    configurable: true,
    enumerable,
  })
}

function install(...hookFunctions: unknown[]) {
  const hooks = Object.fromEntries(HOOK_NAMES.map((name, i) => [name, hookFunctions[i]])) as unknown as HostHooks
  const global = globalThis as unknown as Record<string, unknown>
  let env: Readonly<Record<string, string>> = Object.freeze({})
  const timers = createTimers(hooks)
  const startedAt = Date.now()

  useNativeCodec(hooks)
  const crypto = createCrypto(hooks)
  const URL = createURLClass(hooks.urlParse, hooks.urlSet)
  const globals: Record<string, unknown> = {
    self: globalThis,
    console: createConsole(hooks),
    crypto,
    fetch: createFetch(hooks),
    Headers,
    Request,
    Response,
    URL,
    URLSearchParams,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    DOMException,
    structuredClone,
    queueMicrotask: (callback: unknown) => {
      if (typeof callback !== 'function') throw new TypeError('queueMicrotask requires a function')
      void Promise.resolve().then(callback as () => void)
    },
    performance: Object.freeze({ now: () => Date.now() - startedAt, timeOrigin: startedAt }),
    ...timers,
  }
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false })
  }

  // The rarely used half of the platform lives in the extras bundle, evaluated on first access.
  setupExtras(global, hooks, () => ({
    hooks, DOMException, URL: URL as never, currentInvocation, startOp, dropOp,
    random: (n: number) => crypto.getRandomValues(new Uint8Array(n)),
    setTimeout: (callback: () => void, ms: number) => timers.setTimeout(callback, ms),
  }))
  for (const name of EXTRA_GLOBALS) lazyGlobal(global, name, () => extras().globals[name])
  lazyGlobal(crypto as Record<string, unknown>, 'subtle', () => extras().subtle, true)

  const entry = createEntry(hooks, () => env)
  lockdown(globalThis)

  return {
    setEnv(vars: Record<string, string>) {
      env = deepFreeze({ ...vars })
      Object.defineProperty(global, 'env', { value: env, writable: false, configurable: false, enumerable: false })
    },
    expectModule: entry.expectModule,
    moduleState: entry.moduleState,
    invoke: entry.invoke,
    deliver,
    setCurrent: setCurrentInvocation,
    /** Runs the per-request paths once while the sandbox waits in the pool, so V8 has compiled them before a cold start needs them. */
    warmup() {
      const request = buildRequest({ method: 'POST', url: 'http://localhost/', path: '/', query: {}, headers: { 'content-type': 'application/json' }, body: '{}' })
      request.headers.get('content-type')
      normalizeResponse({ statusCode: 200, headers: { 'x-warm': '1' }, body: { ok: true } })
      normalizeResponse(new Response('warm', { headers: { 'x-warm': '1' } }))
      normalizeResponse('warm')
    },
  }
}

;(globalThis as unknown as Record<string, unknown>).__edgepadInstall = install
