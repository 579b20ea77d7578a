import type { EdgeRequest, FunctionSpec, InvocationResult } from '../../common/model/invocation.ts'
import type { ExecutorStats } from './executor.ts'

/** Supervisor → worker. A spec travels only the first time a worker sees its key. */
export type ToWorker =
  | { type: 'invoke'; id: number; key: string; spec?: FunctionSpec; request: EdgeRequest }
  | { type: 'check'; id: number; spec: FunctionSpec }
  | { type: 'stats'; id: number }
  | { type: 'shutdown' }
  /** For the host's HTTP front in the worker (core/http/worker-front.ts): opaque to the runtime. A connection travels as this message's handle. */
  | { type: 'front'; message: unknown }

export interface WorkerStats extends ExecutorStats {
  rssBytes: number
  heapUsedBytes: number
  pid: number
}

/** Worker → supervisor. */
export type FromWorker =
  | { type: 'ready'; pid: number }
  | { type: 'result'; id: number; result: InvocationResult }
  /** The complete result of an invocation whose early result had `background: true`. */
  | { type: 'final'; id: number; result: InvocationResult }
  | { type: 'missing-spec'; id: number }
  | { type: 'stats'; id: number; stats: WorkerStats }
