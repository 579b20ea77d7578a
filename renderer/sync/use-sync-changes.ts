import { useEffect } from 'react'
import { EVENTS } from '../../common/contracts/all-contracts.ts'
import type { SyncChangedEvent } from '../../common/contracts/sync-contract.ts'
import { useServices } from '../services.tsx'

/** Calls `onChange` when the sync service reports a change of one of `kinds` (for `functionId`, when given). */
export function useSyncChanges(kinds: readonly SyncChangedEvent['kind'][], onChange: () => void, functionId?: string | null): void {
  const { transport } = useServices()
  const key = kinds.join(',')
  useEffect(
    () =>
      transport.listen(EVENTS.syncChanged, (payload) => {
        const event = payload as SyncChangedEvent
        if (!key.split(',').includes(event.kind)) return
        if (functionId && event.functionId && event.functionId !== functionId) return
        onChange()
      }),
    [transport, key, onChange, functionId],
  )
}
