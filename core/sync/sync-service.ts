import { AppError } from '../../common/errors.ts'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import type { syncContract } from '../../common/contracts/sync-contract.ts'

const notYet = async (): Promise<never> => {
  throw new AppError('unavailable', 'Sync is not implemented yet')
}

/** Placeholder so hosts register the contract while the implementation lands. */
export function createSyncService(): ServiceImpl<typeof syncContract> {
  return {
    listServers: async () => [],
    addServer: notYet,
    testServer: notYet,
    removeServer: notYet,
    previewPublish: notYet,
    publish: notYet,
    pull: notYet,
    link: async ({ functionId }) => ({ functionId, links: [], pending: [] }),
    listQueue: async () => [],
    cancelQueued: notYet,
    retryNow: async () => [],
    remoteVersions: notYet,
    remoteVersion: notYet,
    rollback: notYet,
    remoteLogs: notYet,
    remoteLog: notYet,
    remoteMetrics: notYet,
  }
}
