import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import type { EdgeRequest, FunctionSpecInput, InvocationResult } from '../../common/model/invocation.ts'
import { functionSpecSchema } from '../../common/model/invocation.ts'
import { parseOrThrow } from '../../common/validation.ts'
import type { EgressPolicy } from './egress/egress-policy.ts'
import { isPreparedFunction, prepareFunction, type PreparedFunction } from './prepared-function.ts'
import { prepareRequest, type RequestInput } from './request-input.ts'
import { WorkerProcess, type FrontListener } from './worker-process.ts'
import type { WorkerStats } from './worker-protocol.ts'

export interface RuntimeOptions {
  /** Worker processes; defaults to one per core, at most 4. */
  workers?: number
  /** A plain Node ≥ 24 binary. Required inside Electron, whose own binary cannot load isolated-vm. */
  nodePath?: string
  /** Worker entry script; defaults to the one beside this file. */
  workerEntry?: string
  graceMs?: number
  /** Resident memory cap per worker process, in MB (default 4096). */
  maxWorkerRssMb?: number
  /** Extra environment for worker processes (EDGEPAD_MAX_WARM, EDGEPAD_IDLE_MS, EDGEPAD_SPARE_SANDBOXES). */
  workerEnv?: Record<string, string>
  /** Node flags for worker processes (for example `--cpu-prof` to profile the runtime). */
  workerExecArgv?: string[]
  /** Where functions' `fetch` may connect. Default: public internet only (server mode). */
  egress?: EgressPolicy
  /** The server's HTTP front in the workers (core/http/front-host.ts); the IDE has none. */
  front?: FrontListener
}

export interface RunOptions {
  onFinal?: (result: InvocationResult) => void
}

export interface Runtime {
  /**
   * Runs one invocation. User code failing is an outcome, never a rejection; bad input is an AppError.
   * Resolves as soon as the response is ready. `onFinal` receives the complete result (what to log):
   * right away, or once the function's `ctx.waitUntil` work has ended (`background: true`).
   */
  run(spec: FunctionSpecInput | PreparedFunction, request?: RequestInput | EdgeRequest, options?: RunOptions): Promise<InvocationResult>
  /** Compiles and links the function without serving a request (`compile_error` or `ok`). */
  check(spec: FunctionSpecInput): Promise<InvocationResult>
  stats(): Promise<WorkerStats[]>
  /** For tests and chaos drills: the worker that serves this function id. */
  workerFor(functionId: string): WorkerProcess
  /** Every worker process, for the front that hands client connections to them. */
  readonly workers: readonly WorkerProcess[]
  close(): Promise<void>
}

/**
 * The supervisor both the Electron main process and the server use: isolates live in worker
 * processes, never here. Each function id is served by one worker (stable hash), so its warm
 * isolate is found again; a dead or wedged worker is replaced and only what it held is lost.
 */
export function createRuntime(options: RuntimeOptions = {}): Runtime {
  const nodePath = options.nodePath ?? defaultNodePath()
  const count = Math.max(1, options.workers ?? Math.min(4, cpus().length))
  const entry = options.workerEntry ?? fileURLToPath(new URL('./worker-main.ts', import.meta.url))
  const workers = Array.from(
    { length: count },
    () =>
      new WorkerProcess({
        nodePath,
        entry,
        graceMs: options.graceMs ?? 2000,
        maxRssMb: options.maxWorkerRssMb ?? 4096,
        execArgv: options.workerExecArgv,
        front: options.front,
        env: { ...options.workerEnv, EDGEPAD_EGRESS_POLICY: JSON.stringify(options.egress ?? { allowPrivateNetworks: false }) },
      }),
  )
  const workerFor = (functionId: string) => workers[hash(functionId) % workers.length]!

  return {
    async run(specInput, requestInput, runOptions) {
      // A prepared function skips validation and hashing: the hot path of a server serving one version.
      const { spec, key } = isPreparedFunction(specInput) ? specInput : prepareFunction(specInput)
      const request = prepareRequest(requestInput)
      return workerFor(spec.id).invoke(key, spec, request, runOptions?.onFinal)
    },
    async check(specInput) {
      const spec = parseOrThrow(functionSpecSchema, specInput, 'function')
      return workerFor(spec.id).check(spec)
    },
    stats: () => Promise.all(workers.map((worker) => worker.stats())),
    workerFor,
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()))
    },
  }
}

function defaultNodePath(): string {
  if (process.versions.electron) {
    throw new Error('createRuntime needs options.nodePath inside Electron: isolated-vm only loads in a plain Node 24 process')
  }
  return process.execPath
}

/** FNV-1a: stable across processes and restarts. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}
