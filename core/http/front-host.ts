import type { Socket } from 'node:net'
import { deserialize } from 'node:v8'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { failureResult } from '../runtime/invocation-record.ts'
import type { FrontListener, WorkerProcess } from '../runtime/worker-process.ts'
import type { BegunInvocation, FrontConfig, FrontFromWorker, FrontToWorker } from './front-protocol.ts'
import type { HttpContext } from './http-context.ts'

/** One `began` message: its records are decoded only if the worker dies with some of them unfinished. */
interface BegunBatch {
  payload: Uint8Array
}

interface WorkerState {
  configured: boolean
  /** Invocations the worker started and has not reported the end of (id → its batch): logged as interrupted if it dies. */
  begun: Map<string, BegunBatch>
  drained: (() => void) | null
  syncs: Map<number, () => void>
}

export interface FrontHost extends FrontListener {
  /** Once the app and the private listener exist: from then on ready workers get their config. */
  attach(ctx: HttpContext, workers: readonly WorkerProcess[], config: FrontConfig): void
  /** Hands a client connection to the next ready worker; false when none can take it (serve it here). */
  dispatch(socket: Socket): boolean
  /** Tells every worker an API write changed this function (or, without an id, the routing). */
  invalidate(functionId?: string): void
  /** Resolves once every log row the workers reported before the call has reached the host's writer. */
  flush(): Promise<void>
  /** Resolves once some worker's front takes connections (or after `timeoutMs`: until then the host serves them). */
  ready(timeoutMs: number): Promise<void>
  /** Graceful shutdown of every worker's front: each finishes what it has in flight. */
  drain(timeoutMs: number): Promise<void>
  /** How often the log's backlog has paused the fronts. */
  readonly pauses: number
}

/**
 * The host's half of the worker fronts (see worker-front.ts): gives connections out round-robin,
 * answers routing lookups from its own caches, writes the log rows workers report, and logs as
 * `internal_error` whatever a worker had begun when it died, as the supervisor does for calls it
 * sent. The host stays the one authority: workers only ever hold copies.
 */
export function createFrontHost(onError: (error: unknown) => void): FrontHost {
  const states = new Map<WorkerProcess, WorkerState>()
  let attached: { ctx: HttpContext; workers: readonly WorkerProcess[]; config: FrontConfig } | null = null
  let next = 0
  let nextSync = 1
  let onConfigured: (() => void) | null = null
  /** Set while the log's backlog holds the fronts; polled until it has drained enough. */
  let backpressure: NodeJS.Timeout | null = null
  let pauses = 0

  const stateOf = (worker: WorkerProcess) => {
    let state = states.get(worker)
    if (!state) states.set(worker, (state = { configured: false, begun: new Map(), drained: null, syncs: new Map() }))
    return state
  }
  const post = (worker: WorkerProcess, message: FrontToWorker, socket?: Socket) => worker.sendFront(message, socket)
  const configure = (worker: WorkerProcess) => {
    if (!attached || !worker.isReady) return
    stateOf(worker).configured = post(worker, { type: 'config', config: attached.config })
    if (backpressure) post(worker, { type: 'pause' })
    if (stateOf(worker).configured) onConfigured?.()
  }
  const broadcast = (message: FrontToWorker) => {
    for (const [worker, state] of states) if (state.configured) post(worker, message)
  }
  /** Past the backlog limit, workers start no new invocation; below a quarter of it they go on. */
  const watchBacklog = () => {
    if (backpressure || !attached) return
    const { store } = attached.ctx
    const high = attached.config.logBacklogBytes
    if (store.invocations.packedBacklogBytes <= high) return
    pauses++
    broadcast({ type: 'pause' })
    backpressure = setInterval(() => {
      if (store.invocations.packedBacklogBytes > high / 4) return
      clearInterval(backpressure!)
      backpressure = null
      broadcast({ type: 'resume' })
    }, 10)
  }
  const log = (invocation: NewInvocation) => {
    try {
      attached?.ctx.serve.invocations.enqueue(invocation)
    } catch (error) {
      onError(error)
    }
  }

  const lookup = async (worker: WorkerProcess, message: Extract<FrontFromWorker, { type: 'lookup' }>) => {
    const ctx = attached!.ctx
    try {
      const value = message.what === 'routes' ? { routes: (await ctx.routing.current()).table.routes() } : { fn: await ctx.served.get(message.functionId) }
      post(worker, { type: 'lookup-reply', id: message.id, value })
    } catch (error) {
      const { code, message: text } = error as { code?: unknown; message?: unknown }
      post(worker, { type: 'lookup-reply', id: message.id, error: { code: typeof code === 'string' ? code : 'internal', message: typeof text === 'string' ? text : 'Lookup failed' } })
    }
  }

  return {
    onReady: configure,
    onMessage(worker, raw) {
      const message = raw as FrontFromWorker
      const state = stateOf(worker)
      switch (message.type) {
        case 'lookup':
          if (attached) void lookup(worker, message)
          return
        case 'began': {
          worker.busyUntil(message.until)
          if (!message.payload) return
          const batch = { payload: own(message.payload) }
          for (const id of message.ids) state.begun.set(id, batch)
          return
        }
        case 'rows':
          for (const id of message.ids) state.begun.delete(id)
          try {
            attached?.ctx.store.invocations.enqueuePacked({ ids: message.ids, functionIds: message.functionIds, payload: own(message.payload) })
          } catch (error) {
            onError(error)
          }
          watchBacklog()
          return
        case 'drained':
          state.drained?.()
          return
        case 'synced':
          state.syncs.get(message.id)?.()
          state.syncs.delete(message.id)
          return
      }
    },
    onExit(worker) {
      const state = stateOf(worker)
      state.configured = false
      for (const begun of unfinished(state.begun, onError)) log({ ...begun, result: failureResult('internal_error', 'The runtime worker stopped while this invocation was in flight', Math.max(0, Date.now() - begun.startedAt)) })
      state.begun.clear()
      state.drained?.()
      for (const done of state.syncs.values()) done()
      state.syncs.clear()
    },
    attach(ctx, workers, config) {
      attached = { ctx, workers, config }
      for (const worker of workers) configure(worker)
    },
    dispatch(socket) {
      const workers = attached?.workers ?? []
      for (let tries = 0; tries < workers.length; tries++) {
        const worker = workers[next++ % workers.length]!
        if (worker.isReady && stateOf(worker).configured && post(worker, { type: 'connection' }, socket)) return true
      }
      return false
    },
    invalidate(functionId) {
      broadcast(functionId === undefined ? { type: 'invalidate' } : { type: 'invalidate', functionId })
    },
    get pauses() {
      return pauses
    },
    async flush() {
      const waits: Promise<void>[] = []
      for (const [worker, state] of states) {
        if (!state.configured) continue
        const id = nextSync++
        waits.push(new Promise<void>((resolve) => state.syncs.set(id, resolve)))
        if (!post(worker, { type: 'sync', id })) state.syncs.get(id)?.()
      }
      await Promise.all(waits)
    },
    ready(timeoutMs) {
      if ([...states.values()].some((s) => s.configured)) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        onConfigured = () => {
          clearTimeout(timer)
          onConfigured = null
          resolve()
        }
      })
    },
    async drain(timeoutMs) {
      if (backpressure) clearInterval(backpressure)
      backpressure = null
      const waits: Promise<void>[] = []
      for (const [worker, state] of states) {
        if (!state.configured || !worker.isReady) continue
        waits.push(new Promise<void>((resolve) => (state.drained = resolve)))
        post(worker, { type: 'drain' })
        state.configured = false
      }
      let timer: NodeJS.Timeout | undefined
      await Promise.race([Promise.all(waits), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))])
      clearTimeout(timer)
    },
  }
}

/** The records of the invocations still in `begun`, decoded from their batches. */
function unfinished(begun: Map<string, BegunBatch>, onError: (error: unknown) => void): BegunInvocation[] {
  const out: BegunInvocation[] = []
  for (const batch of new Set(begun.values())) {
    try {
      for (const record of deserialize(batch.payload) as BegunInvocation[]) if (begun.has(record.id)) out.push(record)
    } catch (error) {
      onError(error)
    }
  }
  return out
}

/**
 * The bytes of a view in a buffer of their own. What the side channel hands over is a view into a larger
 * read buffer: keeping it would keep all of that, and posting it to a thread copies all of it.
 */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}
