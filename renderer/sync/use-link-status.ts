import { useCallback, useEffect, useState } from 'react'
import type { LinkStatus } from '../../common/contracts/sync-contract.ts'
import { useServices } from '../services.tsx'
import { useSyncChanges } from './use-sync-changes.ts'

/** Where the function is published (local data only, no server call), kept fresh by sync events. */
export function useLinkStatus(functionId: string | null): { status: LinkStatus | null; reload(): void } {
  const { sync } = useServices()
  const [status, setStatus] = useState<LinkStatus | null>(null)
  const reload = useCallback(() => {
    if (!functionId) return setStatus(null)
    sync.link({ functionId }).then(
      (s) => setStatus(s.functionId === functionId ? s : null),
      () => setStatus(null),
    )
  }, [sync, functionId])
  useEffect(() => {
    setStatus(null)
    reload()
  }, [reload])
  useSyncChanges(['link', 'queue', 'servers'], reload, functionId)
  return { status, reload }
}
