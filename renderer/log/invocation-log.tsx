import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import type { InvocationSummary } from '../../common/model/invocation-log.ts'
import { errorText, useServices } from '../services.tsx'
import { formatBytes } from '../response/response-view.tsx'
import { InvocationDetail } from './invocation-detail.tsx'
import { EMPTY_FILTERS, LogFilters, toLogQuery, type LogFilterState } from './log-filters.tsx'
import type { RequestSpec } from '../../common/ide/request-spec.ts'
import type { ObserveSource } from './log-source.ts'

interface Props {
  functionId: string
  /** Bumped whenever an invocation is logged, so the table follows live. */
  refreshKey: number
  onReplay(request: RequestSpec): void
  /** Remote log of a linked server; the local store when absent. */
  source?: ObserveSource
}

const ROW_HEIGHT = 28

/** Every local invocation, newest first: filters and search run in the store; rows are virtualized. */
export function InvocationLog({ functionId, refreshKey, onReplay, source }: Props) {
  const { logs } = useServices()
  const query = source ? source.queryLogs : logs.query
  const [filters, setFilters] = useState<LogFilterState>(EMPTY_FILTERS)
  const [items, setItems] = useState<InvocationSummary[] | null>(null)
  const [cursor, setCursor] = useState<string | null>(null)
  const [loadingMore, setLoadingMore] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<string | null>(null)
  const scroller = useRef<HTMLDivElement>(null)
  const stopLoading = useRef(false)

  useEffect(() => {
    let live = true
    setError(null)
    query(toLogQuery(functionId, filters)).then(
      (page) => {
        if (!live) return
        setItems(page.items)
        setCursor(page.nextCursor)
      },
      (e: unknown) => live && setError(errorText(e)),
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [functionId, filters, refreshKey, logs, source?.key])

  // A record id from one source means nothing in the other.
  useEffect(() => setSelected(null), [source?.key])

  async function loadMore() {
    // A filtered page may come back short with a cursor: keep paging until rows arrive or the user stops.
    stopLoading.current = false
    setLoadingMore(true)
    let next = cursor
    try {
      while (next && !stopLoading.current) {
        const page = await query({ ...toLogQuery(functionId, filters), cursor: next })
        setItems((all) => [...(all ?? []), ...page.items])
        next = page.nextCursor
        if (page.items.length > 0) break
      }
      setCursor(next)
    } catch (e) {
      setError(errorText(e))
    } finally {
      setLoadingMore(false)
    }
  }

  const rows = items ?? []
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 10 })

  return (
    <div className="log" data-testid="log-panel">
      <LogFilters value={filters} onApply={setFilters} />
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="log-body">
        <div className="log-table" role="table" aria-label="Invocations" aria-rowcount={rows.length}>
          <div role="row" className="log-row head">
            {['Time', 'Method', 'Path', 'Status', 'Outcome', 'Duration', 'Memory'].map((h) => (
              <span role="columnheader" key={h}>
                {h}
              </span>
            ))}
          </div>
          {items === null ? (
            <p className="hint" aria-busy="true">Loading…</p>
          ) : rows.length === 0 ? (
            <p className="hint">No invocations match. Run the function to see it here.</p>
          ) : (
            <div ref={scroller} className="log-scroll">
              <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
                {virtualizer.getVirtualItems().map((v) => {
                  const row = rows[v.index]!
                  return (
                    <div
                      role="row"
                      key={row.id}
                      data-testid="log-row"
                      tabIndex={0}
                      aria-selected={row.id === selected}
                      className={`log-row ${row.outcome === 'ok' ? '' : 'bad'}`}
                      style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: ROW_HEIGHT, width: '100%' }}
                      onClick={() => setSelected(row.id)}
                      onKeyDown={(e) => e.key === 'Enter' && setSelected(row.id)}
                    >
                      <span role="cell">{new Date(row.startedAt).toLocaleTimeString()}</span>
                      <span role="cell">{row.method}</span>
                      <span role="cell">{row.path}</span>
                      <span role="cell">{row.status}</span>
                      <span role="cell">{row.outcome}</span>
                      <span role="cell">{row.wallMs.toFixed(1)} ms</span>
                      <span role="cell">{formatBytes(row.peakMemoryBytes)}</span>
                    </div>
                  )
                })}
              </div>
            </div>
          )}
          {cursor && (
            <div className="row">
              <button type="button" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? 'Loading…' : 'Load older'}
              </button>
              {loadingMore && <button type="button" onClick={() => (stopLoading.current = true)}>Stop</button>}
            </div>
          )}
        </div>
        {selected && <InvocationDetail id={selected} {...(source ? { load: source.getInvocation } : {})} onReplay={onReplay} onClose={() => setSelected(null)} />}
      </div>
    </div>
  )
}
