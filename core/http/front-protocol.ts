import type { NewInvocation } from '../../common/model/invocation-log.ts'
import type { Route } from './route-table.ts'
import type { ServedFunction } from './served-functions.ts'

/**
 * The server's HTTP front in each runtime worker: the host hands it client connections, and it
 * answers function traffic right there (the isolate is in the same process), forwarding anything
 * else to the host. Host to worker, these messages ride the runtime's IPC channel as
 * `{ type: 'front' }` (a connection as its handle); worker to host, the side channel of
 * `frame-channel.ts`.
 */
export interface FrontConfig {
  maxBodyBytes: number
  trustProxy: boolean
  logInvocations: boolean
  /** With the log on: the journal this worker writes its invocations to (log-journal-writer.ts), one per worker. */
  journalFile?: string
  /** With the log on: how much of a body the journal keeps (LogJournals.bodyBytes). */
  journalBodyBytes?: number
  /** Journal bytes not yet indexed past which the host pauses the fronts (it resumes them below a quarter of it). */
  logBacklogBytes: number
  cacheTtlMs: number
  /** The host's private listener for forwarded requests, and the secret that marks them as ours. */
  forward: { port: number; secret: string }
  http: { requestTimeoutMs: number; headersTimeoutMs: number; keepAliveTimeoutMs: number; connectionsCheckingIntervalMs: number }
}

export type FrontLookup = { what: 'routes' } | { what: 'function'; functionId: string }

/** What the host answers: the routes of every routed host, or one function as the host would serve it. */
export type FrontLookupValue = { routes: Route[] } | { fn: ServedFunction | null }

/** An invocation as logged, less its result: journaled before the function runs, so a crash cannot lose it. */
export type BegunInvocation = Omit<NewInvocation, 'result' | 'id'> & { id: string }

export type FrontToWorker =
  | { type: 'config'; config: FrontConfig }
  /** Carries a client connection as its handle. */
  | { type: 'connection' }
  | { type: 'lookup-reply'; id: number; value: FrontLookupValue }
  | { type: 'lookup-reply'; id: number; error: { code: string; message: string } }
  /** An API write changed this function (or, without an id, the routing table). */
  | { type: 'invalidate'; functionId?: string }
  /** Graceful shutdown: stop taking requests, finish those in flight, then answer `drained`. */
  | { type: 'drain' }
  /** The host's log is behind: start no new invocation until `resume` (each connection waits for its answer, so nothing piles up). */
  | { type: 'pause' }
  | { type: 'resume' }
  /** Answered by `synced` once every log row the worker finished before it is in its journal. */
  | { type: 'sync'; id: number }

export type FrontFromWorker =
  | ({ type: 'lookup'; id: number } & FrontLookup)
  /**
   * Sent at once (not batched) before a batch enters an isolate, when its deadline `until` moved a
   * second or more past the last one sent: the supervisor does not take a worker busy with long
   * synchronous code for wedged.
   */
  | { type: 'busy'; until: number }
  | { type: 'drained' }
  | { type: 'synced'; id: number }
