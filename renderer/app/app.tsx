import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { EVENTS } from '../../common/contracts/all-contracts.ts'
import type { CompileDiagnostic } from '../../common/contracts/functions-contract.ts'
import { DEFAULT_REQUEST, type RequestSpec } from '../../common/ide/request-spec.ts'
import type { RunResult } from '../../common/ide/run-result.ts'
import type { FunctionRecord, FunctionSummary } from '../../common/model/function.ts'
import { CodeEditor, type CodeEditorHandle } from '../editor/code-editor.tsx'
import { clearDraft, loadDraft, storeDraft } from '../editor/drafts.ts'
import { FunctionExplorer } from '../explorer/function-explorer.tsx'
import { InvocationLog } from '../log/invocation-log.tsx'
import { MetricsPanel } from '../metrics/metrics-panel.tsx'
import { RequestBuilder } from '../request/request-builder.tsx'
import { ResponseView } from '../response/response-view.tsx'
import { errorText, useServices } from '../services.tsx'
import { SettingsPanel } from '../settings/settings-panel.tsx'
import { TestCasesPanel } from '../tests/test-cases-panel.tsx'
import { RemotePanel } from '../sync/remote-panel.tsx'
import { SourceSwitch } from '../sync/source-switch.tsx'
import { SyncDialogs, type SyncDialog } from '../sync/sync-dialogs.tsx'
import { SyncStatus } from '../sync/sync-status.tsx'
import { useLinkStatus } from '../sync/use-link-status.ts'
import { useRemoteView } from '../sync/use-remote-view.ts'
import { StatusBar } from './status-bar.tsx'

const TABS = ['Editor', 'Tests', 'Log', 'Metrics', 'Remote', 'Settings'] as const
type Tab = (typeof TABS)[number]

const fileName = (fn: FunctionRecord) => `${fn.name}.${fn.runtime === 'TYPESCRIPT' ? 'ts' : 'js'}`

export function App() {
  const services = useServices()
  const [list, setList] = useState<FunctionSummary[] | null>(null)
  const [listError, setListError] = useState<string | null>(null)
  const [search, setSearch] = useState('')
  const [selectedId, setSelectedId] = useState<string | null>(() => localStorage.getItem('edgepad.selected'))
  const [fn, setFn] = useState<FunctionRecord | null>(null)
  const [envNames, setEnvNames] = useState<string[]>([])
  const [code, setCode] = useState('')
  const [diagnostic, setDiagnostic] = useState<CompileDiagnostic | null>(null)
  const [requests, setRequests] = useState<Record<string, RequestSpec>>({})
  const [result, setResult] = useState<RunResult | null>(null)
  const [runError, setRunError] = useState<string | null>(null)
  const [running, setRunning] = useState(false)
  const [saveNote, setSaveNote] = useState<string | null>(null)
  const [tab, setTab] = useState<Tab>('Editor')
  const [refreshKey, setRefreshKey] = useState(0)
  const editor = useRef<CodeEditorHandle>(null)
  const [dialog, setDialog] = useState<SyncDialog>(null)
  const link = useLinkStatus(fn?.id ?? null)
  const remote = useRemoteView(fn?.id ?? null, link.status)

  const reloadList = useCallback(
    () => services.functions.list({ search }).then((l) => (setList(l), setListError(null)), (e: unknown) => setListError(errorText(e))),
    [services, search],
  )
  useEffect(() => void reloadList(), [reloadList])
  useEffect(() => services.transport.listen(EVENTS.invocationLogged, () => setRefreshKey((k) => k + 1)), [services])

  useEffect(() => {
    if (selectedId) localStorage.setItem('edgepad.selected', selectedId)
    setFn(null)
    setResult(null)
    setRunError(null)
    setDiagnostic(null)
    if (!selectedId) return
    let live = true
    Promise.all([services.functions.get({ id: selectedId }), services.functions.envVarNames({ id: selectedId })]).then(
      ([record, names]) => {
        if (!live) return
        setFn(record)
        setEnvNames(names)
        setCode(loadDraft(record.id) ?? record.code)
      },
      () => live && setSelectedId(null),
    )
    return () => {
      live = false
    }
  }, [selectedId, services])

  const dirty = fn !== null && code !== fn.code
  const request = (selectedId && requests[selectedId]) || DEFAULT_REQUEST
  const setRequest = (spec: RequestSpec) => selectedId && setRequests((r) => ({ ...r, [selectedId]: spec }))

  const save = useCallback(async () => {
    if (!fn) return
    try {
      const saved = await services.functions.save({ id: fn.id, code })
      setFn(saved.function)
      clearDraft(fn.id)
      setDiagnostic(saved.diagnostic)
      setSaveNote(saved.diagnostic ? `Saved with a compile error on line ${saved.diagnostic.line ?? '?'}` : saved.versionCreated ? `Saved as version ${saved.function.activeVersion}` : 'No changes')
    } catch (e) {
      setSaveNote(errorText(e))
    }
  }, [fn, code, services])

  const run = useCallback(async () => {
    if (!fn) return
    setRunning(true)
    setRunError(null)
    try {
      setResult(await services.invoke.run({ functionId: fn.id, code, request }))
    } catch (e) {
      setRunError(errorText(e))
    } finally {
      setRunning(false)
    }
  }, [fn, code, request, services])

  // Publishing sends the saved function, so unsaved edits are saved first.
  const publish = useCallback(async () => {
    if (!fn) return
    if (dirty) await save()
    setDialog('publish')
  }, [fn, dirty, save])

  // Capture phase: Ctrl/Cmd+Shift+P must reach us before Monaco (or the browser) acts on it.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.code === 'KeyP') {
        e.preventDefault()
        e.stopPropagation()
        void publish()
      }
    }
    window.addEventListener('keydown', onKey, { capture: true })
    return () => window.removeEventListener('keydown', onKey, { capture: true })
  }, [publish])

  // The shortcuts work anywhere in the window, not only while Monaco has focus.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return
      if (e.key === 's') {
        e.preventDefault()
        void save()
      } else if (e.key === 'Enter') {
        e.preventDefault()
        void run()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [save, run])

  const dirtyIds = useMemo(() => new Set((list ?? []).filter((f) => (f.id === fn?.id ? dirty : loadDraft(f.id) !== null)).map((f) => f.id)), [list, fn, dirty])

  const replay = (spec: RequestSpec) => {
    setRequest(spec)
    setTab('Editor')
  }

  return (
    <div className="app">
      <FunctionExplorer
        functions={list}
        error={listError}
        selectedId={selectedId}
        dirtyIds={dirtyIds}
        search={search}
        onSearch={setSearch}
        onSelect={setSelectedId}
        onCreate={async (name, template) => {
          const created = await services.functions.create({ name, template })
          await reloadList()
          setSelectedId(created.id)
          setTab('Editor')
        }}
        onRename={async (id, name) => {
          const renamed = await services.functions.rename({ id, name })
          if (id === fn?.id) setFn({ ...renamed, code: fn.code })
          await reloadList()
        }}
        onDuplicate={async (id, name) => {
          const copy = await services.functions.duplicate({ id, name })
          await reloadList()
          setSelectedId(copy.id)
        }}
        onDelete={async (id) => {
          await services.functions.delete({ id })
          clearDraft(id)
          if (id === selectedId) setSelectedId(null)
          await reloadList()
        }}
      />
      <main className="workspace">
        {!fn ? (
          <div className="empty-workspace">{selectedId ? <p aria-busy="true">Loading…</p> : <p>Select a function, or create one from a template with “New function”.</p>}</div>
        ) : (
          <>
            <header className="workspace-head">
              <h1 data-testid="function-title">
                {fn.name}
                {dirty && (
                  <span className="dirty" data-testid="dirty-indicator" title="Unsaved changes">
                    {' '}● unsaved
                  </span>
                )}
              </h1>
              <div role="tablist" aria-label="Views" className="tabs">
                {TABS.map((t) => (
                  <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
                    {t}
                  </button>
                ))}
              </div>
            </header>
            <div className="workspace-body" hidden={tab !== 'Editor'}>
              <div className="editor-pane">
                <div className="toolbar row">
                  <button type="button" onClick={() => void save()} disabled={!dirty} title="Ctrl/Cmd+S">
                    Save
                  </button>
                  <button type="button" onClick={() => editor.current?.format()}>Format</button>
                  <button type="button" onClick={() => void publish()} title="Ctrl/Cmd+Shift+P">
                    Publish
                  </button>
                  <span className="hint">v{fn.activeVersion} · {fn.runtime === 'TYPESCRIPT' ? 'TypeScript' : 'JavaScript'} · Ctrl/Cmd+S save · Ctrl/Cmd+Enter run · Ctrl/Cmd+Shift+P publish</span>
                  {saveNote && <span role="status" data-testid="save-note">{saveNote}</span>}
                </div>
                <CodeEditor
                  ref={editor}
                  functionId={fn.id}
                  fileName={fileName(fn)}
                  runtime={fn.runtime}
                  value={code}
                  envNames={envNames}
                  diagnostic={diagnostic}
                  onChange={(next) => {
                    setCode(next)
                    storeDraft(fn.id, next, fn.code)
                  }}
                  onSave={() => void save()}
                  onRun={() => void run()}
                  onPublish={() => void publish()}
                />
              </div>
              <div className="run-pane">
                <RequestBuilder value={request} onChange={setRequest} onRun={() => void run()} running={running} baseUrl={`http://127.0.0.1:8787/fn/${fn.id}`} />
                <ResponseView result={result} error={runError} running={running} fileName={fileName(fn)} onJump={(line, column) => editor.current?.revealLine(line, column)} />
              </div>
            </div>
            {tab === 'Tests' && <TestCasesPanel functionId={fn.id} request={request} code={code} lastBody={result?.body.text ?? null} onLoadRequest={replay} />}
            {(tab === 'Log' || tab === 'Metrics') && <SourceSwitch value={remote.side} onChange={remote.setSide} remoteDisabledReason={remote.disabledReason} remoteLabel={remote.serverName} />}
            {tab === 'Log' && <InvocationLog functionId={fn.id} refreshKey={refreshKey + remote.refreshKey} onReplay={replay} {...(remote.source ? { source: remote.source } : {})} />}
            {tab === 'Metrics' && <MetricsPanel functionId={fn.id} refreshKey={refreshKey + remote.refreshKey} {...(remote.source ? { source: remote.source } : {})} />}
            {tab === 'Remote' && <RemotePanel functionId={fn.id} links={link.status?.links ?? []} pendingCount={link.status?.pending.length ?? 0} localCode={code} language={fn.runtime === 'TYPESCRIPT' ? 'typescript' : 'javascript'} onPublish={() => void publish()} />}
            {tab === 'Settings' && <SettingsPanel fn={fn} envNames={envNames} onEnvNamesChange={setEnvNames} onSaved={(saved) => setFn({ ...saved, code: fn.code })} />}
          </>
        )}
      </main>
      <StatusBar functionId={fn?.id ?? null} refreshKey={refreshKey}>
        <SyncStatus onOpenServers={() => setDialog('servers')} onOpenQueue={() => setDialog('queue')} />
      </StatusBar>
      <SyncDialogs
        dialog={dialog}
        onDialog={setDialog}
        fn={fn}
        defaultServerId={link.status?.links[0]?.serverId ?? null}
        onPulled={(pulled) => {
          setFn(pulled)
          clearDraft(pulled.id)
          setCode(pulled.code)
          void reloadList()
        }}
      />
    </div>
  )
}
