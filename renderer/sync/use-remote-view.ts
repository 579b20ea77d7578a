import { useEffect, useMemo, useState } from 'react'
import type { LinkStatus } from '../../common/contracts/sync-contract.ts'
import type { ObserveSource } from '../log/log-source.ts'
import { useServices } from '../services.tsx'
import { remoteSource } from './remote-source.ts'
import type { ObserveSide } from './source-switch.tsx'

// Remote invocations arrive without an event to this machine, so the remote views poll.
const REMOTE_POLL_MS = 5000

export interface RemoteView {
  side: ObserveSide
  setSide(side: ObserveSide): void
  disabledReason: string | null
  serverName?: string
  /** Set while Remote is chosen: the log and metrics views read through it. */
  source: ObserveSource | null
  /** Bumped while Remote is shown, so the views refetch. */
  refreshKey: number
}

/** The Local/Remote choice for the log and metrics views; Remote reads the most recently synced server. */
export function useRemoteView(functionId: string | null, status: LinkStatus | null): RemoteView {
  const { sync } = useServices()
  const [side, setSide] = useState<ObserveSide>('local')
  const [refreshKey, setRefreshKey] = useState(0)
  const link = status?.links[0] ?? null
  const serverId = link?.serverId ?? null

  // A function that is not published has no remote side; fall back rather than show an error.
  useEffect(() => {
    if (status && !serverId) setSide('local')
  }, [status, serverId])

  const source = useMemo(() => (side === 'remote' && functionId && serverId ? remoteSource(sync, functionId, serverId) : null), [side, functionId, serverId, sync])

  useEffect(() => {
    if (!source) return
    const timer = setInterval(() => setRefreshKey((k) => k + 1), REMOTE_POLL_MS)
    return () => clearInterval(timer)
  }, [source])

  return {
    side,
    setSide,
    disabledReason: serverId ? null : 'Publish the function to see its remote log and metrics.',
    ...(link ? { serverName: link.serverName } : {}),
    source,
    refreshKey,
  }
}
