import { fork, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import type { Socket } from 'node:net'
import type { Readable } from 'node:stream'
import type { EdgeRequest, FunctionSpec, InvocationResult } from '../../common/model/invocation.ts'
import type { OutcomeKind } from '../../common/model/outcome.ts'
import { createFrameReader } from './frame-channel.ts'
import { failureResult } from './invocation-record.ts'
import { createMessageBatcher, unbatch, type Batch } from './message-batcher.ts'
import type { FromWorker, ToWorker, WorkerStats } from './worker-protocol.ts'

export interface WorkerProcessOptions {
  nodePath: string
  entry: string
  /** Extra time past an invocation's own deadline before the supervisor answers for it. */
  graceMs: number
  /** A worker whose resident memory passes this is replaced: the last net under isolate memory limits. */
  maxRssMb: number
  env?: Record<string, string>
  /** Node flags for the worker process, e.g. `--cpu-prof` when profiling. */
  execArgv?: string[]
  /** Who speaks the `front` messages (the server's HTTP front in the worker): told of each start, message and exit. */
  front?: FrontListener
}

export interface FrontListener {
  onReady(worker: WorkerProcess): void
  onMessage(worker: WorkerProcess, message: unknown): void
  onExit(worker: WorkerProcess): void
}

interface Pending {
  resolve(value: InvocationResult | WorkerStats): void
  message: ToWorker
  deadline: number
  timer?: NodeJS.Timeout
  sent: boolean
  sentAt: number
}

const HEARTBEAT_MS = 250

/**
 * One runtime worker process as the supervisor sees it: a queue of calls, their deadlines, and a
 * heartbeat. A worker that dies or stops beating past the longest deadline it holds is replaced,
 * and what it held ends as `internal_error` (or `timeout` when its own deadline had passed).
 */
export class WorkerProcess {
  private child: ChildProcess | null = null
  private ready = false
  private closed = false
  private nextId = 1
  private lastBeat = Date.now()
  private crashes = 0
  private startedAt = 0
  private readonly pending = new Map<number, Pending>()
  private readonly knownKeys = new Set<string>()
  private readonly background = new Map<number, { early: InvocationResult; onFinal(result: InvocationResult): void; timer: NodeJS.Timeout }>()
  private readonly watchdog: NodeJS.Timeout
  private readonly options: WorkerProcessOptions
  private exitReason: string | null = null
  /** The latest deadline of work the worker took on its own (its HTTP front), not through `call`. */
  private ownBusyUntil = 0
  private post: (message: ToWorker) => void = () => undefined
  restarts = 0

  constructor(options: WorkerProcessOptions) {
    this.options = options
    this.start()
    let lastTick = Date.now()
    this.watchdog = setInterval(() => {
      const now = Date.now()
      // Our own thread was held (a long synchronous stretch here): the worker's beats of that time
      // are still unread in the channel, and timers run before I/O, so silence proves nothing yet.
      if (now - lastTick > this.options.graceMs) this.lastBeat = now
      lastTick = now
      this.checkWedged()
    }, HEARTBEAT_MS).unref()
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  /** `onFinal` gets the complete result: at once, or when the function's ctx.waitUntil work has ended. */
  async invoke(key: string, spec: FunctionSpec, request: EdgeRequest, onFinal?: (result: InvocationResult) => void): Promise<InvocationResult> {
    const id = this.nextId // call() takes this id synchronously, before the first await
    const result = (await this.call({ type: 'invoke', id: 0, key, request }, spec.timeoutMs, spec)) as InvocationResult
    if (!onFinal) return result
    if (!result.background) {
      onFinal(result)
      return result
    }
    // The worker ends background work by the deadline; if its final word never comes, the early result stands.
    const timer = setTimeout(() => this.endBackground(id), spec.timeoutMs + this.options.graceMs)
    this.background.set(id, { early: result, onFinal, timer })
    return result
  }

  check(spec: FunctionSpec): Promise<InvocationResult> {
    return this.call({ type: 'check', id: 0, spec }, spec.timeoutMs) as Promise<InvocationResult>
  }

  stats(): Promise<WorkerStats> {
    return this.call({ type: 'stats', id: 0 }, 5000) as Promise<WorkerStats>
  }

  /** The worker's front is running guest code due by `until`: silence until then (plus grace) is not a wedge. */
  busyUntil(until: number): void {
    if (Number.isFinite(until)) this.ownBusyUntil = Math.max(this.ownBusyUntil, until + this.options.graceMs)
  }

  /** True between the worker's `ready` and its exit. */
  get isReady(): boolean {
    return this.ready && !this.closed
  }

  /**
   * A `front` message, sent at once rather than batched: a handle (a client connection) cannot
   * travel in a batch, and a cache invalidation must reach the worker before the reply to the
   * write that caused it reaches the client. False when the worker is not there to take it.
   */
  sendFront(message: unknown, handle?: Socket): boolean {
    const child = this.child
    if (!this.ready || !child?.connected) return false
    try {
      // send() answers false when its backlog is long (handles travel one at a time, each awaiting
      // the child's ack), yet the message is queued and delivered: only a throw means it was not taken.
      child.send({ type: 'front', message } satisfies ToWorker, handle)
      return true
    } catch {
      return false
    }
  }

  /** Kills the process now (tests use this to prove in-flight calls end and the next one works). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal)
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.watchdog)
    const child = this.child
    if (!child || child.exitCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    if (child.connected) child.send({ type: 'shutdown' } satisfies ToWorker)
    const force = setTimeout(() => child.kill('SIGKILL'), 2000)
    await exited
    clearTimeout(force)
  }

  private call(message: ToWorker & { id: number }, timeoutMs: number, spec?: FunctionSpec): Promise<InvocationResult | WorkerStats> {
    return new Promise((resolve) => {
      const id = this.nextId++
      message.id = id
      const entry: Pending = { resolve, message, deadline: Date.now() + timeoutMs + this.options.graceMs, sent: false, sentAt: 0 }
      if (message.type === 'invoke' && spec) (entry as Pending & { spec: FunctionSpec }).spec = spec
      entry.timer = setTimeout(() => this.answer(id, 'timeout', 'The function did not finish within its timeout (the runtime worker did not answer in time)'), timeoutMs + this.options.graceMs)
      this.pending.set(id, entry)
      if (this.ready) this.send(entry)
    })
  }

  private send(entry: Pending): void {
    const message = entry.message
    if (message.type === 'invoke' && !this.knownKeys.has(message.key)) {
      message.spec = (entry as Pending & { spec?: FunctionSpec }).spec
      this.knownKeys.add(message.key)
    } else if (message.type === 'invoke') {
      delete message.spec
    }
    entry.sent = true
    entry.sentAt = Date.now()
    this.post(message)
  }

  private start(): void {
    this.ready = false
    this.knownKeys.clear()
    this.startedAt = Date.now()
    this.ownBusyUntil = 0
    this.lastBeat = Date.now()
    const child = fork(this.options.entry, [], {
      execPath: this.options.nodePath,
      execArgv: this.options.execArgv ?? [],
      serialization: 'advanced',
      // fd 4: the front's side channel (frame-channel.ts), written synchronously by the worker.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc', 'pipe'],
      env: { ...process.env, ...this.options.env, EDGEPAD_HEARTBEAT_MS: String(HEARTBEAT_MS) },
    })
    this.child = child
    // Messages batched for a worker that has since died are dropped with it: onExit re-sends or answers their calls.
    this.post = createMessageBatcher<ToWorker>((message) => {
      if (this.child === child && child.connected) child.send(message)
    })
    child.on('message', (message: FromWorker | { type: 'beat' } | Batch<FromWorker>) => unbatch(message, (m) => this.onMessage(m)))
    const side = child.stdio[4] as Readable
    const read = createFrameReader()
    side.on('data', (chunk: Buffer) => {
      let messages: unknown[]
      try {
        messages = read(chunk)
      } catch (error) {
        // A corrupt stream cannot be resynchronized: replace the worker (its exit logs what it had begun).
        this.exitReason = error instanceof Error ? error.message : String(error)
        child.kill('SIGKILL')
        return
      }
      for (const message of messages) unbatch(message, (m) => this.onFrontMessage(child, m))
    })
    side.on('error', () => undefined)
    // What the worker wrote before it died is still in the pipe: read it all before its exit is handled.
    const sideClosed = new Promise<void>((resolve) => side.once('close', () => resolve()))
    child.on('exit', () => {
      const cap = setTimeout(() => side.destroy(), 1000)
      void sideClosed.then(() => {
        clearTimeout(cap)
        this.onExit(child)
      })
    })
    child.on('error', () => undefined)
  }

  /** A side-channel message of the worker's front (only the live child's: a dead one's were read before its exit). */
  private onFrontMessage(child: ChildProcess, message: unknown): void {
    if (child !== this.child) return
    this.lastBeat = Date.now()
    this.options.front?.onMessage(this, message)
  }

  private onMessage(message: FromWorker | { type: 'beat' }): void {
    this.lastBeat = Date.now()
    switch (message.type) {
      case 'beat':
        return
      case 'ready':
        this.ready = true
        this.crashes = 0
        for (const entry of this.pending.values()) if (!entry.sent) this.send(entry)
        this.options.front?.onReady(this)
        return
      case 'missing-spec': {
        const entry = this.pending.get(message.id)
        if (!entry || entry.message.type !== 'invoke') return
        this.knownKeys.delete(entry.message.key)
        this.send(entry)
        return
      }
      case 'result':
        return this.settle(message.id, message.result)
      case 'final':
        return this.endBackground(message.id, message.result)
      case 'stats':
        return this.settle(message.id, message.stats)
    }
  }

  private settle(id: number, value: InvocationResult | WorkerStats): void {
    const entry = this.pending.get(id)
    if (!entry) return
    this.pending.delete(id)
    clearTimeout(entry.timer)
    entry.resolve(value)
  }

  private endBackground(id: number, final?: InvocationResult): void {
    const entry = this.background.get(id)
    if (!entry) return
    this.background.delete(id)
    clearTimeout(entry.timer)
    entry.onFinal(final ?? entry.early)
  }

  /** Ends a call on the supervisor's side, with the worker's answer never coming. */
  private answer(id: number, kind: Exclude<OutcomeKind, 'ok'>, message: string): void {
    const entry = this.pending.get(id)
    if (!entry) return
    this.settle(id, failureResult(kind, message))
    // A worker that let a deadline pass unanswered is likely wedged: replace it before it gets more work.
    if (kind === 'timeout') this.checkWedged()
  }

  private checkWedged(): void {
    const now = Date.now()
    const rss = this.child?.pid ? residentBytes(this.child.pid) : 0
    if (rss > this.options.maxRssMb * 1024 * 1024) {
      this.exitReason = `the runtime worker used ${Math.round(rss / 1024 / 1024)} MB, over its cap of ${this.options.maxRssMb} MB`
      this.child?.kill('SIGKILL')
      return
    }
    // Beats stop only while guest code holds the worker's thread, and every guest call is bounded by
    // its invocation's deadline. Silence past the longest deadline it was given means it is wedged.
    let busyUntil = this.ownBusyUntil
    for (const entry of this.pending.values()) if (entry.sent) busyUntil = Math.max(busyUntil, entry.deadline)
    if (this.ready && now - this.lastBeat > this.options.graceMs && now > busyUntil) {
      this.child?.kill('SIGKILL')
    }
  }

  private onExit(child: ChildProcess): void {
    if (child !== this.child) return
    this.ready = false
    const now = Date.now()
    // The worker's thread was blocked since shortly after its last beat, so it never read what was
    // sent after that: those calls go to the replacement instead of failing.
    const silentSince = this.lastBeat + 2 * HEARTBEAT_MS
    for (const [id, entry] of this.pending) {
      if (!entry.sent) continue
      if (entry.sentAt > silentSince) {
        entry.sent = false
        continue
      }
      if (now >= entry.deadline - this.options.graceMs) this.answer(id, 'timeout', 'The function did not finish within its timeout; its worker was stopped')
      else this.answer(id, 'internal_error', `The runtime worker stopped while this invocation was in flight${this.exitReason ? `: ${this.exitReason}` : ''}`)
    }
    for (const id of [...this.background.keys()]) this.endBackground(id)
    this.options.front?.onExit(this)
    this.exitReason = null
    if (this.closed) return
    this.crashes = now - this.startedAt < 1000 ? this.crashes + 1 : 0
    this.restarts++
    const delay = this.crashes === 0 ? 0 : Math.min(5000, 100 * 2 ** this.crashes)
    setTimeout(() => {
      if (!this.closed) this.start()
    }, delay).unref()
  }
}

/** Resident set size from /proc (Linux); 0 where that is not available. */
function residentBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}
