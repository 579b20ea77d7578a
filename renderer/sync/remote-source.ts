import type { ServiceClient } from '../../common/contracts/contract.ts'
import type { syncContract } from '../../common/contracts/sync-contract.ts'
import type { ObserveSource } from '../log/log-source.ts'

/** The log and metrics views' source for one linked server: same shapes as local, via the sync service. */
export function remoteSource(sync: ServiceClient<typeof syncContract>, functionId: string, serverId: string): ObserveSource {
  return {
    key: `remote:${serverId}:${functionId}`,
    queryLogs: (query) => sync.remoteLogs({ ...query, serverId }),
    getInvocation: (id) => sync.remoteLog({ functionId, serverId, id }),
    getMetrics: (query) => sync.remoteMetrics({ ...query, serverId }),
  }
}
