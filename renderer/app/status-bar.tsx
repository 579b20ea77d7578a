import { useEffect, useState, type ReactNode } from 'react'
import type { HostStatus } from '../../common/contracts/observe-contract.ts'
import { formatBytes } from '../response/response-view.tsx'
import { useServices } from '../services.tsx'

/** Worker pool health, the current function's warm/cold state and the store size; refreshed after runs. */
export function StatusBar({ functionId, refreshKey, children }: { functionId: string | null; refreshKey: number; children?: ReactNode }) {
  const { status } = useServices()
  const [state, setState] = useState<HostStatus | null>(null)
  const [down, setDown] = useState(false)
  useEffect(() => {
    let live = true
    const load = () =>
      status.get({}).then(
        (s) => live && (setState(s), setDown(false)),
        () => live && setDown(true),
      )
    void load()
    const timer = setInterval(load, 10_000)
    return () => {
      live = false
      clearInterval(timer)
    }
  }, [status, refreshKey])
  const last = functionId ? state?.lastRuns[functionId] : undefined
  return (
    <footer className="status-bar" role="status" aria-label="Host status">
      {down ? (
        <span className="bad">Host unreachable</span>
      ) : !state ? (
        <span>Connecting…</span>
      ) : (
        <>
          <span data-testid="worker-health">
            {state.workers.length} worker{state.workers.length === 1 ? '' : 's'} healthy · {state.workers.reduce((n, w) => n + w.warm, 0)} warm isolates ·{' '}
            {formatBytes(state.workers.reduce((n, w) => n + w.rssBytes, 0))}
          </span>
          <span>{last ? `last run ${last.coldStart ? 'cold' : 'warm'}` : 'not run yet'}</span>
          <span>store {formatBytes(state.storeBytes)}</span>
          <span>{state.host === 'desktop' ? 'Desktop' : 'Web mode'}</span>
        </>
      )}
      {children}
    </footer>
  )
}
