import { useState } from 'react'
import type { FunctionSummary } from '../../common/model/function.ts'
import { NewFunctionForm } from './new-function-form.tsx'

interface Props {
  functions: FunctionSummary[] | null
  error: string | null
  selectedId: string | null
  dirtyIds: ReadonlySet<string>
  search: string
  onSearch(text: string): void
  onSelect(id: string): void
  onCreate(name: string, template: string): Promise<void>
  onRename(id: string, name: string): Promise<void>
  onDuplicate(id: string, name: string): Promise<void>
  onDelete(id: string): Promise<void>
}

type Mode = { kind: 'none' } | { kind: 'rename' | 'duplicate'; name: string } | { kind: 'delete' }

/** The function list: search, create from a template, and actions on the selected function. */
export function FunctionExplorer(props: Props) {
  const [creating, setCreating] = useState(false)
  const [mode, setMode] = useState<Mode>({ kind: 'none' })
  const [actionError, setActionError] = useState<string | null>(null)
  const selected = props.functions?.find((f) => f.id === props.selectedId) ?? null

  async function act(work: () => Promise<void>) {
    try {
      setActionError(null)
      await work()
      setMode({ kind: 'none' })
    } catch (error) {
      setActionError(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <nav className="explorer" aria-label="Functions">
      <div className="explorer-head">
        <h2>Functions</h2>
        <button type="button" className="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          New function
        </button>
      </div>
      {creating && (
        <NewFunctionForm
          onCancel={() => setCreating(false)}
          onCreate={async (name, template) => {
            await props.onCreate(name, template)
            setCreating(false)
          }}
        />
      )}
      <input type="search" aria-label="Search functions" placeholder="Search…" value={props.search} onChange={(e) => props.onSearch(e.target.value)} />
      {props.error && <p role="alert" className="error-text">{props.error}</p>}
      {props.functions === null ? (
        <p className="hint" aria-busy="true">Loading…</p>
      ) : props.functions.length === 0 ? (
        <p className="hint">{props.search ? 'No function matches.' : 'No functions yet. Create one from a template.'}</p>
      ) : (
        <ul className="function-list" data-testid="function-list">
          {props.functions.map((fn) => (
            <li key={fn.id}>
              <button type="button" aria-current={fn.id === props.selectedId ? 'true' : undefined} onClick={() => props.onSelect(fn.id)}>
                <span className="fn-name">{fn.name}</span>
                <span className="fn-lang">{fn.runtime === 'TYPESCRIPT' ? 'TS' : 'JS'}</span>
                {props.dirtyIds.has(fn.id) && <span className="dirty-dot" aria-label="unsaved changes">●</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {selected && (
        <div className="explorer-actions" aria-label={`Actions for ${selected.name}`}>
          {mode.kind === 'none' && (
            <>
              <button type="button" onClick={() => setMode({ kind: 'rename', name: selected.name })}>Rename</button>
              <button type="button" onClick={() => setMode({ kind: 'duplicate', name: `${selected.name}-copy` })}>Duplicate</button>
              <button type="button" className="danger" onClick={() => setMode({ kind: 'delete' })}>Delete</button>
            </>
          )}
          {(mode.kind === 'rename' || mode.kind === 'duplicate') && (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                void act(() => (mode.kind === 'rename' ? props.onRename(selected.id, mode.name) : props.onDuplicate(selected.id, mode.name)))
              }}
            >
              <input aria-label={mode.kind === 'rename' ? 'New name' : 'Name of the copy'} value={mode.name} autoFocus onChange={(e) => setMode({ ...mode, name: e.target.value })} />
              <button type="submit">{mode.kind === 'rename' ? 'Rename' : 'Duplicate'}</button>
              <button type="button" onClick={() => setMode({ kind: 'none' })}>Cancel</button>
            </form>
          )}
          {mode.kind === 'delete' && (
            <div role="alertdialog" aria-label="Confirm delete">
              <p>Delete {selected.name}, its versions, test cases and log?</p>
              <button type="button" className="danger" onClick={() => void act(() => props.onDelete(selected.id))}>Delete {selected.name}</button>
              <button type="button" onClick={() => setMode({ kind: 'none' })} autoFocus>Cancel</button>
            </div>
          )}
          {actionError && <p role="alert" className="error-text">{actionError}</p>}
        </div>
      )}
    </nav>
  )
}
