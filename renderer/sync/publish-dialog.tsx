import { useCallback, useEffect, useState } from 'react'
import type { PublishPreview, PublishResult, SyncConflict, SyncServer } from '../../common/contracts/sync-contract.ts'
import { AppError } from '../../common/errors.ts'
import type { FunctionRecord } from '../../common/model/function.ts'
import { errorText, useServices } from '../services.tsx'
import { ConflictView } from './conflict-view.tsx'
import type { CopyText } from './copy-button.tsx'
import { Dialog } from './dialog.tsx'
import { PublicUrls } from './public-urls.tsx'
import { PublishPreviewView } from './publish-preview-view.tsx'

interface Props {
  fn: FunctionRecord
  /** Server the function was last synced to, preselected. */
  defaultServerId: string | null
  onClose(): void
  /** The remote was pulled into the local function. */
  onPulled(fn: FunctionRecord): void
  onManageServers(): void
  copy?: CopyText
}

type Phase =
  | { kind: 'loading' }
  | { kind: 'preview'; preview: PublishPreview }
  /** The server could not be reached: publishing queues instead. */
  | { kind: 'offline'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'conflict'; conflict: SyncConflict }
  | { kind: 'done'; result: PublishResult }
  | { kind: 'pulled'; message: string }

const isUnavailable = (e: unknown) => e instanceof AppError && e.code === 'unavailable'

/** Preview → Publish, with the no-op, conflict and offline (queued) branches the sync service reports. */
export function PublishDialog({ fn, defaultServerId, onClose, onPulled, onManageServers, copy }: Props) {
  const { sync } = useServices()
  const [servers, setServers] = useState<SyncServer[] | null>(null)
  const [serverId, setServerId] = useState<string | null>(defaultServerId)
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' })
  const [sendEnvVars, setSendEnvVars] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const language = fn.runtime === 'TYPESCRIPT' ? 'typescript' : 'javascript'

  useEffect(() => {
    sync.listServers({}).then(
      (list) => {
        setServers(list)
        setServerId((id) => (id && list.some((s) => s.id === id) ? id : (list[0]?.id ?? null)))
      },
      (e: unknown) => setPhase({ kind: 'error', message: errorText(e) }),
    )
  }, [sync])

  const loadPreview = useCallback(
    async (id: string) => {
      setPhase({ kind: 'loading' })
      try {
        const preview = await sync.previewPublish({ functionId: fn.id, serverId: id })
        setPhase(preview.conflict ? { kind: 'conflict', conflict: preview.conflict } : { kind: 'preview', preview })
        // Keep only choices that still name a local variable.
        setSendEnvVars((names) => names.filter((n) => preview.envVars.local.includes(n)))
      } catch (e) {
        setPhase(isUnavailable(e) ? { kind: 'offline', message: errorText(e) } : { kind: 'error', message: errorText(e) })
      }
    },
    [sync, fn.id],
  )
  useEffect(() => {
    if (serverId) void loadPreview(serverId)
  }, [serverId, loadPreview])

  async function publish(onConflict: 'overwrite' | 'cancel') {
    if (!serverId) return
    setBusy(true)
    try {
      const expected = phase.kind === 'preview' ? { expectedRemoteVersion: phase.preview.remote.activeVersion } : {}
      const result = await sync.publish({ functionId: fn.id, serverId, sendEnvVars, onConflict, ...expected })
      setPhase(result.status === 'conflict' && result.conflict ? { kind: 'conflict', conflict: result.conflict } : { kind: 'done', result })
    } catch (e) {
      setPhase({ kind: 'error', message: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  async function pull() {
    if (!serverId) return
    setBusy(true)
    try {
      const pulled = await sync.pull({ functionId: fn.id, serverId })
      onPulled(pulled.function)
      const onlyRemote = pulled.envVarsOnlyRemote.length ? ` Variables set only on the server (values are not pulled): ${pulled.envVarsOnlyRemote.join(', ')}.` : ''
      setPhase({ kind: 'pulled', message: `Pulled remote v${pulled.link.remoteVersion ?? '?'} into this function${pulled.versionCreated ? ` as local version ${pulled.function.activeVersion}` : ''}; the previous local code stays in its version history.${onlyRemote}` })
    } catch (e) {
      setPhase({ kind: 'error', message: errorText(e) })
    } finally {
      setBusy(false)
    }
  }

  const toggleEnv = (name: string, send: boolean) => setSendEnvVars((names) => (send ? [...names.filter((n) => n !== name), name] : names.filter((n) => n !== name)))
  const canPublish = !busy && serverId !== null && (phase.kind === 'preview' ? !phase.preview.unchanged || sendEnvVars.length > 0 : phase.kind === 'offline')

  return (
    <Dialog label={`Publish ${fn.name}`} onClose={onClose} wide>
      {servers !== null && servers.length === 0 ? (
        <div className="row">
          <p>No server configured yet.</p>
          <button type="button" className="primary" onClick={onManageServers}>
            Add a server…
          </button>
        </div>
      ) : (
        <>
          <div className="row">
            <label>
              Server{' '}
              <select aria-label="Publish to server" value={serverId ?? ''} disabled={busy || !servers} onChange={(e) => setServerId(e.target.value)}>
                {(servers ?? []).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.url})
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="link" onClick={onManageServers}>
              Manage servers
            </button>
          </div>
          {phase.kind === 'loading' && <p className="hint" aria-busy="true">Comparing with the server…</p>}
          {phase.kind === 'error' && (
            <p role="alert" className="error-text" data-testid="publish-error">
              {phase.message}
            </p>
          )}
          {phase.kind === 'offline' && (
            <p role="status" data-testid="publish-offline">
              The server is unreachable ({phase.message}). Publishing queues this version and sends it when the server is back.
            </p>
          )}
          {phase.kind === 'preview' && <PublishPreviewView preview={phase.preview} language={language} sendEnvVars={sendEnvVars} onToggleEnv={toggleEnv} />}
          {phase.kind === 'conflict' && <ConflictView conflict={phase.conflict} language={language} busy={busy} onOverwrite={() => void publish('overwrite')} onPull={() => void pull()} onCancel={onClose} />}
          {phase.kind === 'pulled' && (
            <p role="status" className="good" data-testid="publish-pulled">
              {phase.message}
            </p>
          )}
          {phase.kind === 'done' && <PublishOutcome result={phase.result} {...(copy ? { copy } : {})} />}
          {(phase.kind === 'preview' || phase.kind === 'offline') && (
            <div className="row dialog-actions">
              <button type="button" className="primary" disabled={!canPublish} onClick={() => void publish('cancel')}>
                {busy ? 'Publishing…' : phase.kind === 'offline' ? 'Queue publish' : 'Publish'}
              </button>
              <button type="button" onClick={onClose}>Cancel</button>
            </div>
          )}
        </>
      )}
    </Dialog>
  )
}

function PublishOutcome({ result, copy }: { result: PublishResult; copy?: CopyText }) {
  const message =
    result.status === 'published'
      ? `Published: remote version v${result.remoteVersion} is active${result.versionCreated ? '' : ' (no new version was needed)'}.`
      : result.status === 'unchanged'
        ? `Unchanged: v${result.remoteVersion} is already active; nothing was published.`
        : result.status === 'queued'
          ? 'The server is unreachable: the publish is queued and will be sent when it is back. See the pending publishes in the status bar.'
          : 'Conflict: nothing was changed.'
  return (
    <div data-testid="publish-result">
      <p role="status" className={result.status === 'queued' ? '' : 'good'} data-testid="publish-status">
        {message}
      </p>
      {result.envVarsMissingRemotely.length > 0 && (
        <p role="alert" className="error-text">
          Still missing on the server: {result.envVarsMissingRemotely.join(', ')}.
        </p>
      )}
      {result.status !== 'queued' && <PublicUrls urls={result.publicUrls} curl={result.curl} {...(copy ? { copy } : {})} />}
    </div>
  )
}
