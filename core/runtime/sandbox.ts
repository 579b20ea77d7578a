import { randomBytes } from 'node:crypto'
import ivm from 'isolated-vm'
import { HOOK_NAMES, type HostHooks } from './guest/host-hooks.ts'
import type { EdgeRequest } from '../../common/model/invocation.ts'
import type { Delivery, ModuleState, GuestConsoleLevel, WireFetchRequest, WireOutcome, WireRequestHead } from './guest/wire.ts'
import { urlParse, urlSet } from './url-host.ts'
import { evaluateExtras } from './host-extras.ts'

/** What a sandbox reports to whoever currently owns it (the loaded function). */
export interface SandboxOwner {
  onConsole(invocationId: number, level: GuestConsoleLevel, message: string): void
  /** Flat, as the guest's `complete` hook sends it (see HostHooks.complete); nothing in it is checked yet. */
  onComplete(invocationId: number, kind: WireOutcome['kind'], statusOrName: unknown, headersOrMessage: unknown, bodyOrStack: unknown): void
  onFetch(invocationId: number, opId: number, request: WireFetchRequest): void
  onTimer(invocationId: number, opId: number, delayMs: number): void
  onCancel(opId: number): void
  // --- Web-platform APIs (issue 6): crypto.subtle calls and ctx.waitUntil bookkeeping ---
  onSubtle(invocationId: number, opId: number, method: string, args: unknown[]): void
  onWaitUntil(invocationId: number, pending: number): void
}

export interface CompiledBootstrap {
  code: string
  cachedData?: ivm.ExternalCopy<ArrayBuffer>
}

const MAX_RANDOM = 65536
const COPY = { arguments: { copy: true } } as const
/** One decoder for every invocation: decoding is stateless without `stream`. */
const utf8 = new TextDecoder()
const utf8Encoder = new TextEncoder()

/**
 * One isolate with one context, bootstrapped and locked down, not yet bound to any function.
 * Created ahead of time by the pool so a cold start only has to compile the user's module.
 */
export class Sandbox {
  readonly isolate: ivm.Isolate
  readonly context: ivm.Context
  readonly memoryMb: number
  owner: SandboxOwner | null = null
  /** The extras bundle is evaluated at most once per context, on the guest's first use. */
  private extrasLoaded = false
  private readonly api: { setEnv: ivm.Reference; expectModule: ivm.Reference; moduleState: ivm.Reference; invoke: ivm.Reference; deliver: ivm.Reference; setCurrent: ivm.Reference }

  constructor(memoryMb: number, bootstrap: CompiledBootstrap, onCatastrophicError: (message: string) => void) {
    this.memoryMb = memoryMb
    this.isolate = new ivm.Isolate({ memoryLimit: memoryMb, onCatastrophicError })
    try {
      this.context = this.isolate.createContextSync()
      const script: ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer> } = this.isolate.compileScriptSync(bootstrap.code, {
        filename: 'edgepad:bootstrap',
        ...(bootstrap.cachedData ? { cachedData: bootstrap.cachedData } : { produceCachedData: true }),
      })
      // V8's code cache is isolate-independent: the first sandbox's compile speeds up every later one.
      if (!bootstrap.cachedData && script.cachedData) bootstrap.cachedData = script.cachedData
      script.runSync(this.context, { timeout: 5000 })
      const install = this.context.evalSync('(() => { const f = globalThis.__edgepadInstall; delete globalThis.__edgepadInstall; return f })()', {
        reference: true,
      }) as ivm.Reference
      const hooks = this.createHooks()
      const api = install.applySync(undefined, HOOK_NAMES.map((name) => new ivm.Callback(hooks[name])), { result: { reference: true } }) as ivm.Reference
      const get = (name: string) => api.getSync(name, { reference: true }) as ivm.Reference
      this.api = { setEnv: get('setEnv'), expectModule: get('expectModule'), moduleState: get('moduleState'), invoke: get('invoke'), deliver: get('deliver'), setCurrent: get('setCurrent') }
      get('warmup').applySync(undefined, [], { timeout: 5000 })
    } catch (error) {
      this.isolate.dispose()
      throw error
    }
  }

  /** Host side of every hook: arguments come from guest code, so each is checked before use. */
  private createHooks(): HostHooks {
    const owner = () => this.owner
    return {
      console: (invocationId, level, message) => {
        if (typeof invocationId === 'number' && typeof message === 'string' && typeof level === 'string') owner()?.onConsole(invocationId, level, message)
      },
      complete: (invocationId, kind, statusOrName, headersOrMessage, bodyOrStack) => {
        if (typeof invocationId === 'number' && typeof kind === 'string') owner()?.onComplete(invocationId, kind, statusOrName, headersOrMessage, bodyOrStack)
      },
      fetch: (invocationId, opId, request) => {
        if (typeof invocationId === 'number' && typeof opId === 'number') owner()?.onFetch(invocationId, opId, request)
      },
      timer: (invocationId, opId, delayMs) => {
        if (typeof invocationId === 'number' && typeof opId === 'number' && typeof delayMs === 'number') owner()?.onTimer(invocationId, opId, delayMs)
      },
      cancel: (opId) => {
        if (typeof opId === 'number') owner()?.onCancel(opId)
      },
      random: (length) => {
        const n = Number.isInteger(length) && length > 0 ? Math.min(length, MAX_RANDOM) : 0
        return new Uint8Array(randomBytes(n))
      },
      urlParse,
      urlSet,
      // --- Web-platform APIs (issue 6) ---
      extras: () => {
        if (this.extrasLoaded) return
        this.extrasLoaded = true
        evaluateExtras(this.isolate, this.context)
      },
      subtle: (invocationId, opId, method, args) => {
        if (typeof invocationId === 'number' && typeof opId === 'number' && typeof method === 'string' && Array.isArray(args)) owner()?.onSubtle(invocationId, opId, method, args)
      },
      waitUntil: (invocationId, pending) => {
        if (typeof invocationId === 'number' && typeof pending === 'number') owner()?.onWaitUntil(invocationId, pending)
      },
      utf8Encode: (input) => {
        if (typeof input !== 'string') throw new TypeError('utf8Encode takes a string')
        // A fresh buffer of its own: a pooled Buffer's backing store could carry other bytes across.
        return utf8Encoder.encode(input)
      },
      utf8Decode: (bytes, stripBOM, fatal) => {
        if (!(bytes instanceof Uint8Array)) throw new TypeError('utf8Decode takes bytes')
        try {
          return new TextDecoder('utf-8', { fatal: fatal === true, ignoreBOM: stripBOM !== true }).decode(bytes)
        } catch {
          return null
        }
      },
    }
  }

  setEnv(env: Record<string, string>): void {
    this.api.setEnv.applySync(undefined, [env], { ...COPY, timeout: 1000 })
  }

  setCurrent(invocationId: number): void {
    this.api.setCurrent.applySync(undefined, [invocationId], COPY)
  }

  expectModule(handler: string): void {
    this.api.expectModule.applySync(undefined, [handler], { ...COPY, timeout: 1000 })
  }

  moduleState(): ModuleState {
    return this.api.moduleState.applySync(undefined, [], { result: { copy: true }, timeout: 1000 }) as ModuleState
  }

  /**
   * One entry per invocation. The fixed fields cross as one JSON text (WireRequestHead): copying a
   * string and parsing it in the guest costs a fraction of isolated-vm's structured copy of the
   * request object. `withText`: a seed handler, which gets a byte body as text; Web-form handlers
   * read the bytes themselves.
   */
  invoke(invocationId: number, request: EdgeRequest, timeoutMs: number, withText: boolean): void {
    // isolated-vm copies a view's whole ArrayBuffer: a body that is a slice of a larger buffer (a
    // pooled Buffer) crosses as a copy of just its bytes.
    const body = request.body instanceof Uint8Array && request.body.byteLength !== request.body.buffer.byteLength ? new Uint8Array(request.body) : request.body
    const head: WireRequestHead = [request.method, request.url, request.path, request.query, request.headers]
    // Same decoding as the guest's TextDecoder (WHATWG UTF-8, replacement characters, BOM stripped).
    const text = withText && body instanceof Uint8Array && body.byteLength > 0 ? utf8.decode(body) : undefined
    this.api.invoke.applySync(undefined, [invocationId, JSON.stringify(head), body, text], { arguments: { copy: true }, timeout: timeoutMs })
  }

  deliver(opId: number, delivery: Delivery, timeoutMs: number): void {
    this.api.deliver.applySync(undefined, [opId, delivery], { ...COPY, timeout: timeoutMs })
  }

  get disposed(): boolean {
    return this.isolate.isDisposed
  }

  dispose(): void {
    this.owner = null
    if (!this.isolate.isDisposed) this.isolate.dispose()
  }
}
