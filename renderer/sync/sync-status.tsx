import { useCallback, useEffect, useState } from 'react'
import { useServices } from '../services.tsx'
import { useSyncChanges } from './use-sync-changes.ts'

/** Status-bar entry: the Servers dialog, and how many publishes wait for a server. */
export function SyncStatus({ onOpenServers, onOpenQueue }: { onOpenServers(): void; onOpenQueue(): void }) {
  const { sync } = useServices()
  const [pending, setPending] = useState(0)
  const reload = useCallback(
    () =>
      sync.listQueue({}).then(
        (items) => setPending(items.length),
        () => {},
      ),
    [sync],
  )
  useEffect(() => {
    void reload()
    const timer = setInterval(() => void reload(), 10_000)
    return () => clearInterval(timer)
  }, [reload])
  useSyncChanges(['queue', 'servers'], reload)
  return (
    <span className="sync-status">
      <button type="button" className="link" onClick={onOpenServers}>
        Servers
      </button>
      <button type="button" className={`link${pending ? ' pending' : ''}`} data-testid="pending-publishes" onClick={onOpenQueue}>
        {pending === 0 ? 'No pending publishes' : `${pending} pending publish${pending === 1 ? '' : 'es'}`}
      </button>
    </span>
  )
}
