import { useCallback, useEffect, useState } from 'react'
import type { QueueItem } from '../../common/contracts/sync-contract.ts'
import { errorText, useServices } from '../services.tsx'
import { useSyncChanges } from './use-sync-changes.ts'

function when(item: QueueItem, now: number): string {
  if (item.state === 'delivering') return 'sending now…'
  if (item.nextAttemptAt === null) return item.state
  const s = Math.max(0, Math.round((item.nextAttemptAt - now) / 1000))
  return s === 0 ? 'retrying now' : `next attempt in ${s}s`
}

/** Publishes waiting for an unreachable server, with cancel and retry; finished ones on request. */
export function QueueList({ functionId }: { functionId?: string }) {
  const { sync } = useServices()
  const [items, setItems] = useState<QueueItem[] | null>(null)
  const [showFinished, setShowFinished] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const reload = useCallback(
    () =>
      sync.listQueue({ ...(functionId ? { functionId } : {}), includeFinished: showFinished }).then(
        (list) => (setItems(list), setError(null)),
        (e: unknown) => setError(errorText(e)),
      ),
    [sync, functionId, showFinished],
  )
  useEffect(() => {
    void reload()
    // Backoff countdowns and deliveries move on their own; events cover most, the timer the rest.
    const timer = setInterval(() => void reload(), 5000)
    return () => clearInterval(timer)
  }, [reload])
  useSyncChanges(['queue', 'servers'], reload)

  async function act(work: () => Promise<unknown>) {
    try {
      await work()
    } catch (e) {
      setError(errorText(e))
    }
    await reload()
  }

  const now = Date.now()
  return (
    <section className="queue" aria-label="Publish queue" data-testid="queue-list">
      <div className="row">
        <label>
          <input type="checkbox" checked={showFinished} onChange={(e) => setShowFinished(e.target.checked)} /> Show finished
        </label>
        <button type="button" onClick={() => void act(() => sync.retryNow({}))} disabled={!items?.some((i) => i.state === 'pending')}>
          Retry all now
        </button>
      </div>
      {error && <p role="alert" className="error-text">{error}</p>}
      {items === null ? (
        <p className="hint" aria-busy="true">Loading…</p>
      ) : items.length === 0 ? (
        <p className="hint">No queued publishes.</p>
      ) : (
        <ul className="queue-items">
          {items.map((item) => (
            <li key={item.id} data-testid="queue-item" data-state={item.state} className="row">
              <strong>{item.functionName}</strong>
              <span>→ {item.serverName}</span>
              <span className={item.state === 'failed' || item.state === 'conflict' ? 'error-text' : 'hint'}>
                {item.state} · {item.attempts} attempt{item.attempts === 1 ? '' : 's'} · {when(item, now)}
              </span>
              {item.sendEnvVars.length > 0 && <span className="hint">sends {item.sendEnvVars.join(', ')}</span>}
              {item.lastError && <span className="hint">last error: {item.lastError}</span>}
              {item.state === 'delivered' && item.remoteVersion !== null && <span className="good">delivered as v{item.remoteVersion}</span>}
              {item.state === 'conflict' && <span className="error-text">changed on the server meanwhile: publish again to resolve</span>}
              {item.state === 'pending' && (
                <>
                  <button type="button" aria-label={`Retry ${item.functionName} now`} onClick={() => void act(() => sync.retryNow({ id: item.id }))}>
                    Retry now
                  </button>
                  <button type="button" className="danger" aria-label={`Cancel publish of ${item.functionName}`} onClick={() => void act(() => sync.cancelQueued({ id: item.id }))}>
                    Cancel
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
