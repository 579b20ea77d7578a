import fs from 'node:fs'
import path from 'node:path'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import { CONTRACTS, EVENTS } from '../../common/contracts/all-contracts.ts'
import { createRouter, fromService } from '../../common/contracts/rpc.ts'
import type { invokeContract } from '../../common/contracts/invoke-contract.ts'
import { createRuntime, type Runtime } from '../runtime/runtime.ts'
import { createAesGcmBox } from '../secrets/aes-gcm-box.ts'
import { fileKeyProvider, type KeyFileProtection } from '../secrets/file-key-provider.ts'
import { openStore } from '../store/open-store.ts'
import type { Store } from '../store/repos.ts'
import { createSync } from '../sync/sync-service.ts'
import { createFunctionRunner } from './function-runner.ts'
import { createFunctionsService } from './functions-service.ts'
import { createLogsService, createMetricsService, createStatusService } from './observe-services.ts'
import { createTestCaseFiles } from './test-case-file.ts'
import { createTestsService } from './tests-service.ts'

export interface OpenIdeOptions {
  dataDir: string
  host: 'desktop' | 'web'
  workers?: number
  /** A plain Node 24 binary for the isolate workers (required inside Electron). */
  nodePath?: string
  workerEntry?: string
  /** Seals the env-var key file (Electron safeStorage on the desktop). */
  protection?: KeyFileProtection
  /** Host → renderer notifications. */
  emit?: (event: string, payload: unknown) => void
  /** Retry queued publishes in the background (default true; the CLI turns it off). */
  backgroundSync?: boolean
}

export interface IdeCore {
  call(service: string, method: string, input: unknown): Promise<unknown>
  store: Store
  runtime: Runtime
  close(): Promise<void>
}

/**
 * Both IDE hosts (Electron main, the web host) build the same services here, so the two
 * transports differ in nothing but how a call arrives.
 */
export async function openIde(options: OpenIdeOptions): Promise<IdeCore> {
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 })
  const dbFile = path.join(options.dataDir, 'edgepad.db')
  const keys = fileKeyProvider({ file: path.join(options.dataDir, 'secret-keys.json'), ...(options.protection ? { protection: options.protection } : {}) })
  const store = await openStore({ file: dbFile, secretBox: createAesGcmBox(await keys.load()), durability: 'normal' })
  // Desktop runs are local testing: functions may call services on this machine.
  const runtime = createRuntime({
    workers: options.workers ?? 2,
    egress: { allowPrivateNetworks: true },
    ...(options.nodePath ? { nodePath: options.nodePath } : {}),
    ...(options.workerEntry ? { workerEntry: options.workerEntry } : {}),
  })
  const emit = options.emit ?? (() => {})
  const runner = createFunctionRunner({
    store,
    runtime,
    onLogged: (functionId, invocationId) => emit(EVENTS.invocationLogged, { functionId, invocationId }),
  })
  const files = createTestCaseFiles(path.join(options.dataDir, 'test-cases'))
  const sync = createSync({ store, emit: (event) => emit(EVENTS.syncChanged, event) })
  if (options.backgroundSync !== false) await sync.queue.start()
  const invoke: ServiceImpl<typeof invokeContract> = { run: ({ functionId, request, code }) => runner.run(functionId, request, code) }
  const call = createRouter({
    functions: fromService(CONTRACTS.functions, createFunctionsService({ store, runtime, runner, testCases: files })),
    invoke: fromService(CONTRACTS.invoke, invoke),
    tests: fromService(CONTRACTS.tests, createTestsService({ store, runner, files })),
    logs: fromService(CONTRACTS.logs, createLogsService(store)),
    metrics: fromService(CONTRACTS.metrics, createMetricsService(store)),
    status: fromService(CONTRACTS.status, createStatusService({ runtime, runner, dbFile, host: options.host })),
    sync: fromService(CONTRACTS.sync, sync.service),
  })
  return {
    call,
    store,
    runtime,
    async close() {
      await sync.queue.stop()
      await runtime.close()
      await store.close()
    },
  }
}
