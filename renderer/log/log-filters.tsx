import { useState } from 'react'
import { OUTCOME_KINDS, type OutcomeKind } from '../../common/model/outcome.ts'
import type { LogQueryInput } from '../../common/model/invocation-log.ts'

export interface LogFilterState {
  text: string
  outcome: OutcomeKind | ''
  method: string
  statusMin: string
  statusMax: string
  pathPrefix: string
}

export const EMPTY_FILTERS: LogFilterState = { text: '', outcome: '', method: '', statusMin: '', statusMax: '', pathPrefix: '' }

/** The store query for a filter state; blank fields are left out rather than sent empty. */
export function toLogQuery(functionId: string, f: LogFilterState): LogQueryInput {
  return {
    functionId,
    ...(f.text.trim() ? { text: f.text.trim() } : {}),
    ...(f.outcome ? { outcomes: [f.outcome] } : {}),
    ...(f.method ? { methods: [f.method] } : {}),
    ...(f.statusMin ? { statusMin: Number(f.statusMin) } : {}),
    ...(f.statusMax ? { statusMax: Number(f.statusMax) } : {}),
    ...(f.pathPrefix.trim() ? { pathPrefix: f.pathPrefix.trim() } : {}),
    limit: 200,
  }
}

/** Filters apply on submit (Enter or Apply), so typing a search does not fire a query per key. */
export function LogFilters({ value, onApply }: { value: LogFilterState; onApply(filters: LogFilterState): void }) {
  const [draft, setDraft] = useState(value)
  const set = (patch: Partial<LogFilterState>) => setDraft((d) => ({ ...d, ...patch }))
  return (
    <form
      className="log-filters row"
      aria-label="Log filters"
      onSubmit={(e) => {
        e.preventDefault()
        onApply(draft)
      }}
    >
      <input type="search" aria-label="Search log" placeholder="Search console, errors, paths…" value={draft.text} onChange={(e) => set({ text: e.target.value })} />
      <select aria-label="Outcome" value={draft.outcome} onChange={(e) => set({ outcome: e.target.value as OutcomeKind | '' })}>
        <option value="">Any outcome</option>
        {OUTCOME_KINDS.map((k) => (
          <option key={k} value={k}>
            {k}
          </option>
        ))}
      </select>
      <select aria-label="Method filter" value={draft.method} onChange={(e) => set({ method: e.target.value })}>
        <option value="">Any method</option>
        {['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => (
          <option key={m}>{m}</option>
        ))}
      </select>
      <input aria-label="Status from" type="number" placeholder="status ≥" value={draft.statusMin} onChange={(e) => set({ statusMin: e.target.value })} />
      <input aria-label="Status to" type="number" placeholder="status ≤" value={draft.statusMax} onChange={(e) => set({ statusMax: e.target.value })} />
      <input aria-label="Path prefix" placeholder="/path" value={draft.pathPrefix} onChange={(e) => set({ pathPrefix: e.target.value })} />
      <button type="submit">Apply</button>
      <button
        type="button"
        onClick={() => {
          setDraft(EMPTY_FILTERS)
          onApply(EMPTY_FILTERS)
        }}
      >
        Clear
      </button>
    </form>
  )
}
