import fs from 'node:fs'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import type { logsContract, metricsContract, statusContract } from '../../common/contracts/observe-contract.ts'
import type { Runtime } from '../runtime/runtime.ts'
import type { Store } from '../store/repos.ts'
import type { FunctionRunner } from './function-runner.ts'

export function createLogsService(store: Store): ServiceImpl<typeof logsContract> {
  return {
    query: (query) => store.invocations.query(query),
    get: ({ id }) => store.invocations.get(id),
  }
}

export function createMetricsService(store: Store): ServiceImpl<typeof metricsContract> {
  return { get: (query) => store.metrics.get(query) }
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size
  } catch {
    return 0
  }
}

export function createStatusService(deps: { runtime: Runtime; runner: FunctionRunner; dbFile: string; host: 'desktop' | 'web' }): ServiceImpl<typeof statusContract> {
  return {
    async get() {
      const stats = await deps.runtime.stats()
      return {
        workers: stats.map((s) => ({ pid: s.pid, rssBytes: s.rssBytes, warm: s.warm })),
        storeBytes: fileSize(deps.dbFile) + fileSize(`${deps.dbFile}-wal`),
        lastRuns: deps.runner.lastRuns(),
        host: deps.host,
      }
    },
  }
}
