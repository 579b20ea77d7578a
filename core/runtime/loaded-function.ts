import type ivm from 'isolated-vm'
import type { EdgeRequest, FunctionSpec, InvocationError, InvocationResult } from '../../common/model/invocation.ts'
import type { OutcomeKind } from '../../common/model/outcome.ts'
import type { Delivery, GuestConsoleLevel, WireFetchRequest, WireOutcome } from './guest/wire.ts'
import { entryTimeoutMs } from './entry-timeout.ts'
import { describeFetchError, type HostFetcher } from './host-fetch.ts'
import { InvocationRecord } from './invocation-record.ts'
import { SubtleHost } from './host-subtle.ts'
import { checkReportedResponse } from './response-check.ts'
import type { Sandbox, SandboxOwner } from './sandbox.ts'
import type { StackMapper } from './stack-trace.ts'

export interface CompiledSource {
  code: string
  mapper: StackMapper
}

type Failure = { kind: OutcomeKind; error: InvocationError }

let nextInvocationId = 1

/** The failure kinds the guest reports itself; anything else from it is not believed. */
const FAILURE_KINDS = new Set<string>(['runtime_error', 'invalid_response', 'response_too_large', 'compile_error'])

/** Reads the guest's one-shot ready callback off the global before any user code can see it. */
const INTERNAL_MODULE = 'const ready = globalThis.__edgepadModuleReady\ndelete globalThis.__edgepadModuleReady\nexport { ready }'
const SHIM_MODULE = "import { ready } from 'edgepad:internal'\nimport * as namespace from 'edgepad:function'\nready(namespace)"

/**
 * One function version bound to its own sandbox: loads the module once, then serves invocations,
 * several at a time when they await. Every entry into the isolate is a synchronous call bounded by
 * the invocation's remaining time, so the host always knows when guest code runs and for whom.
 */
export class LoadedFunction implements SandboxOwner {
  readonly key: string
  readonly spec: FunctionSpec
  lastUsed = Date.now()
  /** Set when the isolate must not take new invocations (a timeout, or a newer version loaded). */
  retired = false
  private readonly sandbox: Sandbox
  private readonly source: CompiledSource
  private readonly fetcher: HostFetcher
  private readonly inflight = new Map<number, InvocationRecord>()
  /** Records whose guest reported an outcome during the current entry, in the order they reported. */
  private readonly reported: InvocationRecord[] = []
  private readonly ops = new Map<number, { invocationId: number; cancel(): void }>()
  private loaded = false
  /** Seed handlers read the body as text; unknown until a top-level await settles, so assumed. */
  private seedForm = true
  private heapReading = 0
  private heapReadAt = -Infinity
  /** crypto.subtle keys of this function's sandbox (issue 6). */
  private readonly subtle = new SubtleHost()
  private onDrained: (() => void) | null = null

  constructor(key: string, spec: FunctionSpec, source: CompiledSource, sandbox: Sandbox, fetcher: HostFetcher) {
    this.key = key
    this.spec = spec
    this.source = source
    this.sandbox = sandbox
    this.fetcher = fetcher
    sandbox.owner = this
  }

  get inflightCount(): number {
    return this.inflight.size
  }

  get usable(): boolean {
    return !this.retired && !this.sandbox.disposed
  }

  /** Stops taking invocations; the sandbox is disposed once the last one in flight ends. */
  retire(onDisposed?: () => void): void {
    this.retired = true
    if (onDisposed) this.onDrained = onDisposed
    if (this.inflight.size === 0) this.disposeNow()
  }

  /** Resolves when the response is ready; `onFinal` gets the complete result once background work ends too. */
  invoke(request: EdgeRequest, onFinal?: FinalListener): Promise<InvocationResult> {
    this.lastUsed = Date.now()
    return new Promise((resolve) => {
      const record = new InvocationRecord(nextInvocationId++, this.spec.timeoutMs, !this.loaded)
      record.resolve = resolve
      record.onFinal = onFinal
      this.inflight.set(record.id, record)
      if (!this.loaded && !this.load(record)) return
      this.enter(record, () => this.sandbox.invoke(record.id, request, entryTimeoutMs(record.deadline), this.seedForm))
      this.armDeadline(record)
    })
  }

  /**
   * Every entry into the isolate is already bounded by the remaining time (isolated-vm's
   * `timeout`), so the wall-clock timer only matters once the invocation waits between entries
   * (host operations, a pending top-level await, ctx.waitUntil). Most invocations end inside their
   * first entry and never arm one.
   */
  private armDeadline(record: InvocationRecord): void {
    if (record.done || record.timer) return
    const delay = Math.max(1, Math.ceil(record.deadline - performance.now()))
    record.timer = setTimeout(() => this.fail(record, { kind: 'timeout', error: timeoutError(this.spec.timeoutMs) }), delay)
  }

  /** Loads the module (compile, link, evaluate, find the handler) without serving a request. */
  prepare(): Promise<InvocationResult> {
    return new Promise((resolve) => {
      const record = new InvocationRecord(nextInvocationId++, this.spec.timeoutMs, true)
      record.resolve = resolve
      this.inflight.set(record.id, record)
      // Loading is synchronous and bounded by its own entry timeout, so this record never waits.
      if (this.loaded || this.load(record)) this.finish(record, record.result('ok', { statusCode: 200, headers: {}, body: new Uint8Array(0) }))
    })
  }

  /**
   * Compiles, links and evaluates the module through a small entry shim. The shim imports the
   * function's module and hands its namespace to the guest once evaluation, top-level await
   * included, has finished; invocations that arrive before that wait in the guest.
   */
  private load(record: InvocationRecord): boolean {
    const { isolate, context } = this.sandbox
    let shim: ivm.Module
    try {
      const module = isolate.compileModuleSync(this.source.code, { filename: this.source.mapper.filename })
      const internal = isolate.compileModuleSync(INTERNAL_MODULE, { filename: 'edgepad:internal' })
      shim = isolate.compileModuleSync(SHIM_MODULE, { filename: 'edgepad:entry' })
      shim.instantiateSync(context, (specifier, referrer) => {
        if (referrer === shim && specifier === 'edgepad:internal') return internal
        if (referrer === shim && specifier === 'edgepad:function') return module
        throw new Error(`Imports are not supported in edge functions (found import of '${specifier}')`)
      })
    } catch (error) {
      this.fail(record, { kind: 'compile_error', error: this.compileError(error) })
      this.retire()
      return false
    }
    const evaluated = this.enter(record, () => {
      this.sandbox.setEnv(this.spec.envVars)
      this.sandbox.expectModule(this.spec.handler)
      this.sandbox.setCurrent(record.id)
      shim.evaluateSync({ timeout: Math.max(1, record.remainingMs()) })
      this.sandbox.setCurrent(0)
    }, true)
    if (!evaluated) {
      this.retire()
      return false
    }
    const state = this.sandbox.moduleState()
    if (state.state === 'failed') {
      this.fail(record, { kind: 'compile_error', error: { message: state.message } })
      this.retire()
      return false
    }
    this.loaded = true
    this.seedForm = state.state !== 'ready' || state.form === 'seed'
    return true
  }

  /** Runs guest code for `record`; returns false when the call itself failed (and the record was failed). */
  private enter(record: InvocationRecord, call: () => void, evaluating = false): boolean {
    const { isolate } = this.sandbox
    const cpuBefore = isolate.cpuTime
    let failure: Failure | null = null
    try {
      call()
    } catch (error) {
      failure = this.classify(error, record)
      // The guest entry catches everything a handler throws, so a guest error escaping a call is a
      // promise rejection nobody handled (isolated-vm raises those at the end of the call). As on
      // Workers, that is logged with the invocation, not a failure of it.
      if (!evaluating && failure.kind === 'runtime_error') {
        record.addConsole('error', `Uncaught (in promise) ${failure.error.stack ?? failure.error.message}`)
        failure = null
      }
    }
    if (!isolate.isDisposed) {
      const cpuNs = isolate.cpuTime - cpuBefore
      record.cpuNs += cpuNs
      record.peakHeapBytes = Math.max(record.peakHeapBytes, this.heapBytes(cpuNs))
    }
    if (failure) {
      this.fail(record, failure)
      if (this.sandbox.disposed) this.failAll(failure.kind === 'memory_limit')
      return false
    }
    this.settleCompleted()
    return true
  }

  /**
   * Heap in use after an entry. Reading V8's statistics costs ~2 µs, a tenth of a warm invocation,
   * so an entry that ran under 0.2 ms of CPU reuses a reading at most 50 ms old: such a short
   * entry cannot have grown the heap much, and any longer one is measured afresh.
   */
  private heapBytes(cpuNs: bigint): number {
    const now = performance.now()
    if (cpuNs > 200_000n || now - this.heapReadAt > 50) {
      const heap = this.sandbox.isolate.getHeapStatisticsSync()
      this.heapReading = heap.used_heap_size + heap.externally_allocated_size
      this.heapReadAt = now
    }
    return this.heapReading
  }

  private classify(error: unknown, record: InvocationRecord): Failure {
    const message = error instanceof Error ? error.message : String(error)
    if (this.sandbox.disposed) {
      const memory = /memory limit/i.test(message)
      return {
        kind: memory ? 'memory_limit' : 'internal_error',
        error: { message: memory ? `The function exceeded its memory limit of ${this.spec.memoryMb} MB` : `The isolate stopped: ${message}` },
      }
    }
    if (/execution timed out/i.test(message)) return { kind: 'timeout', error: timeoutError(this.spec.timeoutMs) }
    if (/maximum call stack/i.test(message) || error instanceof Error) {
      // Only module evaluation throws guest errors straight through; handlers report through `complete`.
      return { kind: 'runtime_error', error: this.userError(error, record) }
    }
    return { kind: 'internal_error', error: { message } }
  }

  private userError(error: unknown, _record: InvocationRecord): InvocationError {
    const err = error as Error
    const cleaned = this.source.mapper.clean(typeof err.stack === 'string' ? err.stack : `${err.name}: ${err.message}`)
    return { message: `${err.name}: ${err.message}`, stack: cleaned.stack, ...cleaned.position }
  }

  private compileError(error: unknown): InvocationError {
    const message = error instanceof Error ? error.message : String(error)
    const at = /\[([^\]]*):(\d+):(\d+)\]\s*$/.exec(message)
    if (!at) return { message }
    const position = this.source.mapper.map1({ line: Number(at[2]), column: Number(at[3]) })
    const text = message.slice(0, at.index).trim()
    return { message: `${error instanceof Error ? error.name : 'SyntaxError'}: ${text} (${this.source.mapper.filename}:${position.line}:${position.column})`, ...position }
  }

  // SandboxOwner: called synchronously from inside the guest.

  onConsole(invocationId: number, level: GuestConsoleLevel, message: string): void {
    this.inflight.get(invocationId)?.addConsole(level, message)
  }

  onComplete(invocationId: number, kind: WireOutcome['kind'], statusOrName: unknown, headersOrMessage: unknown, bodyOrStack: unknown): void {
    const record = this.inflight.get(invocationId)
    if (!record || record.outcome) return
    record.outcome = { kind, statusOrName, headersOrMessage, bodyOrStack }
    this.reported.push(record)
  }

  onTimer(invocationId: number, opId: number, delayMs: number): void {
    const record = this.inflight.get(invocationId)
    if (!record) return
    // A timer that would fire after the deadline never fires: the invocation ends first.
    const handle = delayMs < record.remainingMs() ? setTimeout(() => this.deliver(opId, { ok: true, value: null }), delayMs) : undefined
    this.track(record, opId, () => clearTimeout(handle))
  }

  onFetch(invocationId: number, opId: number, request: WireFetchRequest): void {
    const record = this.inflight.get(invocationId)
    if (!record) return
    // Aborted by the guest's AbortSignal (hook `cancel`), and when the invocation ends for any
    // reason, the deadline included (`finish` cancels every op still tracked). Only a subrequest
    // still running pays for an abort (a DOMException and its event): a finished one is untracked.
    const abort = new AbortController()
    this.track(record, opId, () => abort.abort())
    const limits = this.fetcher.fetchLimits
    if (++record.subrequests > limits.maxSubrequests) {
      queueMicrotask(() => this.deliver(opId, { ok: false, message: `too many subrequests (limit ${limits.maxSubrequests} per invocation)` }))
      return
    }
    record.runLimited(limits.maxConcurrent, () => this.fetcher.fetch(request, abort.signal)).then(
      (value) => this.deliver(opId, { ok: true, value }),
      (error: unknown) => this.deliver(opId, { ok: false, message: describeFetchError(error) }),
    )
  }

  onCancel(opId: number): void {
    const op = this.ops.get(opId)
    if (!op) return
    this.ops.delete(opId)
    this.inflight.get(op.invocationId)?.ops.delete(opId)
    op.cancel()
  }

  // --- Web-platform APIs (issue 6) ---

  onSubtle(invocationId: number, opId: number, method: string, args: unknown[]): void {
    const record = this.inflight.get(invocationId)
    if (!record) return
    this.track(record, opId, () => undefined)
    void this.subtle.call(method, args).then((value) => this.deliver(opId, { ok: true, value }))
  }

  /**
   * ctx.waitUntil: while an invocation has pending waitUntil promises, its response is returned
   * (the caller's promise resolves) but the record stays open: ops keep running and console lines
   * keep landing in the same `console` array, until the count drops to zero or the deadline passes.
   */
  onWaitUntil(invocationId: number, pending: number): void {
    const record = this.inflight.get(invocationId)
    if (!record) return
    record.waits = pending
    if (pending <= 0 && record.responded) this.finish(record, { ...record.result('ok', record.responded.response), background: true })
  }

  // --- end Web-platform APIs ---

  private track(record: InvocationRecord, opId: number, cancel: () => void): void {
    this.ops.set(opId, { invocationId: record.id, cancel })
    record.ops.add(opId)
  }

  private deliver(opId: number, delivery: Delivery): void {
    const op = this.ops.get(opId)
    if (!op) return
    this.ops.delete(opId)
    const record = this.inflight.get(op.invocationId)
    if (!record || this.sandbox.disposed) return
    record.ops.delete(opId)
    this.enter(record, () => this.sandbox.deliver(opId, delivery, entryTimeoutMs(record.deadline)))
  }

  /** Judges what the guest reported during the entry that just ended (re-entrant: a listener may start another invocation). */
  private settleCompleted(): void {
    while (this.reported.length > 0) {
      const record = this.reported.shift()!
      const outcome = record.outcome!
      if (record.done || record.responded) continue
      if (outcome.kind === 'ok') {
        const checked = checkReportedResponse(outcome.statusOrName, outcome.headersOrMessage, outcome.bodyOrStack)
        if (checked.ok && record.waits) {
          // issue 6: ctx.waitUntil work is pending: respond now, finish when it settles (onWaitUntil).
          record.responded = { ...record.result('ok', checked.response), background: true }
          record.resolve(record.responded)
        } else if (checked.ok) this.finish(record, record.result('ok', checked.response))
        else this.fail(record, { kind: checked.kind, error: { message: checked.message } })
        continue
      }
      const kind: OutcomeKind = FAILURE_KINDS.has(outcome.kind as string) ? (outcome.kind as OutcomeKind) : 'internal_error'
      const name = String(outcome.statusOrName)
      const message = String(outcome.headersOrMessage)
      const stack = String(outcome.bodyOrStack)
      if (kind === 'runtime_error' && name === 'RangeError' && message === 'Array buffer allocation failed') {
        // isolated-vm refuses ArrayBuffer memory past memoryMb with this error rather than a disposal.
        this.fail(record, { kind: 'memory_limit', error: { message: `The function exceeded its memory limit of ${this.spec.memoryMb} MB (ArrayBuffer allocation refused)` } })
        this.retire()
        continue
      }
      const cleaned = kind === 'runtime_error' ? this.source.mapper.clean(stack) : { stack }
      const text = kind !== 'runtime_error' ? message : name === 'Uncaught' ? `Uncaught ${message}` : `${name}: ${message}`
      this.fail(record, { kind, error: { message: text, stack: cleaned.stack, ...('position' in cleaned ? cleaned.position : {}) } })
      if (kind === 'compile_error') this.retire()
    }
  }

  private fail(record: InvocationRecord, failure: Failure): void {
    const responded = this.inflight.get(record.id)?.responded
    if (responded) {
      // The client already has its response; background work that fails is logged, not re-judged.
      record.addConsole('warn', `ctx.waitUntil work ended early: ${failure.error.message}`)
      this.finish(record, { ...record.result('ok', responded.response), background: true })
    } else {
      this.finish(record, record.result(failure.kind, null, failure.error))
    }
    if (failure.kind === 'timeout') this.retire()
  }

  private finish(record: InvocationRecord, result: InvocationResult): void {
    const entry = this.inflight.get(record.id)
    if (!entry || entry.done) return
    entry.done = true
    this.inflight.delete(record.id)
    clearTimeout(entry.timer)
    for (const opId of entry.ops) this.onCancel(opId)
    entry.resolve(result)
    entry.onFinal?.(entry.responded ? { ...result, background: true } : result)
    if (this.retired && this.inflight.size === 0) this.disposeNow()
  }

  private failAll(memory: boolean): void {
    const message = memory
      ? 'The isolate was reset because another invocation of this function exceeded the memory limit'
      : 'The isolate stopped while this invocation was in flight'
    for (const record of [...this.inflight.values()]) this.finish(record, record.result('internal_error', null, { message }))
    this.retire()
  }

  private disposeNow(): void {
    for (const op of this.ops.values()) op.cancel()
    this.ops.clear()
    this.sandbox.dispose()
    const drained = this.onDrained
    this.onDrained = null
    drained?.()
  }
}

export type FinalListener = (result: InvocationResult) => void

function timeoutError(timeoutMs: number): InvocationError {
  return { message: `The function did not finish within its ${timeoutMs} ms timeout` }
}
