import type { Socket } from 'node:net'
import type { FrontListener, WorkerProcess } from '../runtime/worker-process.ts'
import type { FrontConfig, FrontFromWorker, FrontToWorker } from './front-protocol.ts'
import type { HttpContext } from './http-context.ts'

/** How often the log's backlog is looked at while the fronts log. */
const BACKLOG_CHECK_MS = 50

interface WorkerState {
  configured: boolean
  /** The log journal this worker process writes (one per process: a replacement gets a new one). */
  journal: string | null
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
  /** Resolves once every log row the workers finished before the call is committed. */
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
 * answers routing lookups from its own caches, gives each worker process its log journal (the
 * store's journal indexer logs as `internal_error` whatever a worker had begun when it died), and
 * pauses the fronts while the journals are too far ahead of the index. The host stays the one
 * authority: workers only ever hold copies.
 */
export function createFrontHost(onError: (error: unknown) => void): FrontHost {
  const states = new Map<WorkerProcess, WorkerState>()
  let attached: { ctx: HttpContext; workers: readonly WorkerProcess[]; config: FrontConfig } | null = null
  let next = 0
  let nextSync = 1
  let onConfigured: (() => void) | null = null
  /** True while the log's backlog holds the fronts. */
  let backpressure = false
  let backlogTimer: NodeJS.Timeout | null = null
  let pauses = 0

  const stateOf = (worker: WorkerProcess) => {
    let state = states.get(worker)
    if (!state) states.set(worker, (state = { configured: false, journal: null, drained: null, syncs: new Map() }))
    return state
  }
  const post = (worker: WorkerProcess, message: FrontToWorker, socket?: Socket) => worker.sendFront(message, socket)
  const journals = () => {
    const found = attached?.ctx.store.journals
    if (!found) throw new Error('Worker fronts log to journals: open the store with a journal folder')
    return found
  }
  const configure = (worker: WorkerProcess) => {
    if (!attached || !worker.isReady) return
    const state = stateOf(worker)
    let config = attached.config
    if (config.logInvocations) {
      const found = journals()
      state.journal ??= found.newJournal()
      config = { ...config, journalFile: state.journal, journalBodyBytes: found.bodyBytes }
    }
    state.configured = post(worker, { type: 'config', config })
    if (backpressure) post(worker, { type: 'pause' })
    if (state.configured) onConfigured?.()
  }
  const broadcast = (message: FrontToWorker) => {
    for (const [worker, state] of states) if (state.configured) post(worker, message)
  }
  /** Past the backlog limit, workers start no new invocation; below a quarter of it they go on. */
  const watchBacklog = () => {
    const high = attached!.config.logBacklogBytes
    let backlog: number
    try {
      backlog = journals().backlogBytes()
    } catch (error) {
      // The journals' folder could not be read (removed, permissions): keep serving, say why.
      return onError(error)
    }
    if (!backpressure && backlog > high) {
      backpressure = true
      pauses++
      broadcast({ type: 'pause' })
    } else if (backpressure && backlog <= high / 4) {
      backpressure = false
      broadcast({ type: 'resume' })
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
        case 'busy':
          worker.busyUntil(message.until)
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
      // The indexer reads what the worker wrote to its end and logs what it began and never finished.
      if (state.journal) attached?.ctx.store.journals?.writerGone(state.journal)
      state.journal = null
      state.drained?.()
      for (const done of state.syncs.values()) done()
      state.syncs.clear()
    },
    attach(ctx, workers, config) {
      attached = { ctx, workers, config }
      if (config.logInvocations) {
        journals()
        backlogTimer = setInterval(watchBacklog, BACKLOG_CHECK_MS).unref()
      }
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
      await attached?.ctx.store.journals?.flush()
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
      if (backlogTimer) clearInterval(backlogTimer)
      backlogTimer = null
      backpressure = false
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
