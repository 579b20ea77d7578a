import type { EdgeRequest, FunctionSpec, InvocationResult } from '../../common/model/invocation.ts'
import { compileSource, type SourceResult } from './compile-source.ts'
import { functionKey } from './function-key.ts'
import { extrasBundle, guestBundle } from './guest-bundle.ts'
import type { EgressPolicy } from './egress/egress-policy.ts'
import { DEFAULT_FETCH_LIMITS, HostFetcher, type FetchLimits } from './host-fetch.ts'
import { InvocationRecord } from './invocation-record.ts'
import { LoadedFunction, type CompiledSource, type FinalListener } from './loaded-function.ts'
import { SandboxPool } from './sandbox-pool.ts'

/** Keys of frozen specs (prepareFunction's): a frozen spec cannot change, so neither can its key. */
const frozenKeys = new WeakMap<FunctionSpec, string>()

/** `functionKey(spec)`, hashed once per frozen spec rather than on every call (a SHA-256 costs ~1.5 µs). */
function keyOf(spec: FunctionSpec): string {
  if (!Object.isFrozen(spec) || !Object.isFrozen(spec.envVars)) return functionKey(spec)
  let key = frozenKeys.get(spec)
  if (key === undefined) frozenKeys.set(spec, (key = functionKey(spec)))
  return key
}

export interface ExecutorOptions {
  /** Warm function versions kept, least recently used evicted first. */
  maxWarm?: number
  /** A warm function idle this long is evicted. */
  idleMs?: number
  /** Pre-created sandboxes kept ready for the default memory size. */
  spareSandboxes?: number
  fetchLimits?: FetchLimits
  /** Where `fetch` may connect; private networks are refused unless allowed. */
  egress?: EgressPolicy
  onCatastrophicError?: (message: string) => void
}

export interface ExecutorStats {
  warm: number
  spareSandboxes: number
  compiledSources: number
}

/**
 * Runs function versions inside the worker process: compiles once, keeps them warm in their own
 * isolates (LRU + idle eviction), and never lets two functions share an isolate.
 */
export class Executor {
  private readonly warm = new Map<string, LoadedFunction>()
  private readonly sources = new Map<string, Promise<SourceResult>>()
  private readonly pool: SandboxPool
  private readonly maxWarm: number
  private readonly idleMs: number
  private readonly fetcher: HostFetcher
  private readonly sweeper: NodeJS.Timeout

  private constructor(pool: SandboxPool, options: ExecutorOptions) {
    this.pool = pool
    this.maxWarm = options.maxWarm ?? 2000
    this.idleMs = options.idleMs ?? 10 * 60_000
    this.fetcher = new HostFetcher(options.egress ?? { allowPrivateNetworks: false }, options.fetchLimits ?? DEFAULT_FETCH_LIMITS)
    this.sweeper = setInterval(() => this.evictIdle(), Math.min(this.idleMs, 30_000)).unref()
  }

  static async create(options: ExecutorOptions = {}): Promise<Executor> {
    const code = await guestBundle()
    extrasBundle() // built now, not inside the first invocation that needs it
    const onCatastrophicError = options.onCatastrophicError ?? ((message: string) => {
      process.stderr.write(`edgepad worker: catastrophic isolate error: ${message}\n`)
      process.abort()
    })
    const pool = new SandboxPool({ code }, options.spareSandboxes ?? 2, onCatastrophicError)
    pool.fill()
    return new Executor(pool, options)
  }

  /**
   * `key` is `functionKey(spec)`; the supervisor computes it once and sends it along. Not `async`:
   * a warm call hands back the invocation's own promise rather than one more wrapped around it
   * (failures still arrive as a rejection, never as a throw).
   */
  run(spec: FunctionSpec, request: EdgeRequest, key?: string, onFinal?: FinalListener): Promise<InvocationResult> {
    try {
      const k = key === undefined ? keyOf(spec) : key
      const warm = this.warm.get(k)
      if (warm?.usable) {
        this.warm.delete(k)
        this.warm.set(k, warm)
        return warm.invoke(request, onFinal)
      }
      if (warm) this.warm.delete(k)
      return this.runCold(spec, request, k, onFinal)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  private async runCold(spec: FunctionSpec, request: EdgeRequest, key: string, onFinal?: FinalListener): Promise<InvocationResult> {
    const compiled = await this.source(key, spec)
    if (!compiled.ok) {
      const result = new InvocationRecord(0, spec.timeoutMs, true).result('compile_error', null, compiled.error)
      onFinal?.(result)
      return result
    }
    return this.warmFunction(key, spec, compiled.source).invoke(request, onFinal)
  }

  /** The usable warm function for `key`, or a new one in a fresh sandbox (retiring older versions). */
  private warmFunction(key: string, spec: FunctionSpec, source: CompiledSource): LoadedFunction {
    const existing = this.warm.get(key)
    if (existing?.usable) return existing
    const fn = new LoadedFunction(key, spec, source, this.pool.take(spec.memoryMb), this.fetcher)
    this.retireOlderVersions(spec.id, key)
    this.warm.set(key, fn)
    this.evictOverflow()
    return fn
  }

  /** Compiles and loads without serving a request: what "save" uses to reject broken code early. A good function stays warm. */
  async check(spec: FunctionSpec): Promise<InvocationResult> {
    const key = functionKey(spec)
    const compiled = await this.source(key, spec)
    if (!compiled.ok) return new InvocationRecord(0, spec.timeoutMs, true).result('compile_error', null, compiled.error)
    const fn = this.warmFunction(key, spec, compiled.source)
    return fn.prepare()
  }

  stats(): ExecutorStats {
    return { warm: this.warm.size, spareSandboxes: this.pool.spareCount, compiledSources: this.sources.size }
  }

  close(): void {
    clearInterval(this.sweeper)
    for (const fn of this.warm.values()) fn.retire()
    this.warm.clear()
    this.pool.close()
    void this.fetcher.close()
  }

  private source(key: string, spec: FunctionSpec): Promise<SourceResult> {
    let pending = this.sources.get(key)
    if (!pending) {
      pending = compileSource(spec)
      this.sources.set(key, pending)
      // Compiled sources are small next to isolates; keep a bounded number of them.
      if (this.sources.size > this.maxWarm * 2) this.sources.delete(this.sources.keys().next().value!)
    }
    return pending
  }

  private retireOlderVersions(id: string, key: string): void {
    for (const [otherKey, fn] of this.warm) {
      if (otherKey !== key && fn.spec.id === id) {
        this.warm.delete(otherKey)
        fn.retire()
      }
    }
  }

  private evictOverflow(): void {
    for (const [key, fn] of this.warm) {
      if (this.warm.size <= this.maxWarm) return
      this.warm.delete(key)
      fn.retire()
    }
  }

  private evictIdle(): void {
    const cutoff = Date.now() - this.idleMs
    for (const [key, fn] of this.warm) {
      if (!fn.usable || (fn.lastUsed < cutoff && fn.inflightCount === 0)) {
        this.warm.delete(key)
        fn.retire()
      }
    }
  }
}
