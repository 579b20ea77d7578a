import { useCallback, useEffect, useState } from 'react'
import type { RemoteVersions, SyncLink } from '../../common/contracts/sync-contract.ts'
import type { VersionRecord } from '../../common/model/function.ts'
import { errorText, useServices } from '../services.tsx'
import { CodeDiff } from './code-diff.tsx'
import type { CopyText } from './copy-button.tsx'
import { PublicUrls } from './public-urls.tsx'
import { QueueList } from './queue-list.tsx'

interface Props {
  functionId: string
  links: SyncLink[]
  /** Queued publishes of this function still waiting for their server. */
  pendingCount: number
  localCode: string
  language: 'javascript' | 'typescript'
  onPublish(): void
  copy?: CopyText
}

/** Per linked server: public URLs and the remote versions, with view-diff and rollback. */
export function RemotePanel({ functionId, links, pendingCount, localCode, language, onPublish, copy }: Props) {
  const pending = pendingCount > 0 && (
    <section aria-label="Queued publishes of this function">
      <h3>Waiting for the server</h3>
      <QueueList functionId={functionId} />
    </section>
  )
  if (links.length === 0) {
    return (
      <div className="remote" data-testid="remote-panel">
        {pending}
        <p className="hint">Not published yet.</p>
        <button type="button" className="primary" onClick={onPublish}>
          Publish…
        </button>
      </div>
    )
  }
  return (
    <div className="remote" data-testid="remote-panel">
      {pending}
      {links.map((link) => (
        <RemoteLink key={link.serverId} functionId={functionId} link={link} localCode={localCode} language={language} {...(copy ? { copy } : {})} />
      ))}
    </div>
  )
}

function RemoteLink({ functionId, link, localCode, language, copy }: { functionId: string; link: SyncLink; localCode: string; language: 'javascript' | 'typescript'; copy?: CopyText }) {
  const { sync } = useServices()
  const [versions, setVersions] = useState<RemoteVersions | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const [viewing, setViewing] = useState<VersionRecord | null>(null)
  const [confirm, setConfirm] = useState<number | null>(null)
  const target = { functionId, serverId: link.serverId }

  const reload = useCallback(
    () =>
      sync.remoteVersions({ functionId, serverId: link.serverId }).then(
        (v) => (setVersions(v), setError(null)),
        (e: unknown) => setError(errorText(e)),
      ),
    [sync, functionId, link.serverId],
  )
  // The link's version moves on publish/rollback: refetch then.
  useEffect(() => void reload(), [reload, link.remoteVersion])

  async function rollback(version: number) {
    setConfirm(null)
    try {
      const r = await sync.rollback({ ...target, version })
      setNote(`v${r.activeVersion} is active on ${link.serverName}.`)
      await reload()
    } catch (e) {
      setError(errorText(e))
    }
  }

  async function view(version: number) {
    try {
      setViewing(await sync.remoteVersion({ ...target, version }))
    } catch (e) {
      setError(errorText(e))
    }
  }

  return (
    <section className="remote-link" aria-label={`Remote on ${link.serverName}`}>
      <h3>
        {link.serverName} <span className="hint">{link.serverUrl}</span>
      </h3>
      <p className="hint">
        Remote function {link.remoteFunctionId} · synced at v{link.remoteVersion ?? '?'} · {new Date(link.lastSyncedAt).toLocaleString()}
      </p>
      <PublicUrls urls={link.publicUrls} curl={link.curl} {...(copy ? { copy } : {})} />
      <h4>Versions</h4>
      {error && <p role="alert" className="error-text">{error}</p>}
      {note && <p role="status" className="good">{note}</p>}
      {!versions && !error && <p className="hint" aria-busy="true">Loading…</p>}
      {versions && (
        <table className="kv" aria-label={`Remote versions on ${link.serverName}`}>
          <tbody>
            {[...versions.items].reverse().map((v) => (
              <tr key={v.number} data-testid="remote-version">
                <th>v{v.number}</th>
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.note}</td>
                <td>{v.number === versions.activeVersion ? <strong className="good">active</strong> : null}</td>
                <td className="row">
                  <button type="button" aria-label={`View v${v.number}`} onClick={() => void view(v.number)}>
                    Diff with local
                  </button>
                  {v.number !== versions.activeVersion &&
                    (confirm === v.number ? (
                      <span role="alertdialog" aria-label={`Confirm rollback to v${v.number}`} className="row">
                        Activate v{v.number} on {link.serverName}?
                        <button type="button" className="danger" onClick={() => void rollback(v.number)}>
                          Activate
                        </button>
                        <button type="button" onClick={() => setConfirm(null)}>Keep</button>
                      </span>
                    ) : (
                      <button type="button" aria-label={`Roll back to v${v.number}`} onClick={() => setConfirm(v.number)}>
                        Roll back
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {viewing && (
        <div>
          <div className="row">
            <h4>
              Remote v{viewing.number} → local
            </h4>
            <button type="button" onClick={() => setViewing(null)}>Close diff</button>
          </div>
          <CodeDiff before={viewing.code} after={localCode} label={`Diff of remote v${viewing.number} with local`} language={language} />
        </div>
      )}
    </section>
  )
}
