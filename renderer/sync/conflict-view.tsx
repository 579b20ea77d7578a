import type { SyncConflict } from '../../common/contracts/sync-contract.ts'
import { CodeDiff } from './code-diff.tsx'
import { CONFIG_LABELS, formatConfigValue } from './format-config.ts'

interface Props {
  conflict: SyncConflict
  language: 'javascript' | 'typescript'
  busy: boolean
  onOverwrite(): void
  onPull(): void
  onCancel(): void
}

/** The remote changed since the last sync from here: both sides in full, and the user decides. Nothing is lost either way. */
export function ConflictView({ conflict, language, busy, onOverwrite, onPull, onCancel }: Props) {
  const fields = Object.keys(conflict.local.config) as (keyof typeof conflict.local.config)[]
  const configDiffs = fields.filter((f) => JSON.stringify(conflict.local.config[f]) !== JSON.stringify(conflict.remote.config[f]))
  return (
    <section className="conflict" aria-label="Publish conflict" data-testid="conflict-view">
      <p role="alert" className="error-text">
        The server's active version is v{conflict.remoteVersion ?? '?'}, but this function was last synced at {conflict.linkedVersion === null ? 'no version (never synced with it)' : `v${conflict.linkedVersion}`}: it was changed elsewhere.
      </p>
      <CodeDiff before={conflict.remote.code} after={conflict.local.code} label="Conflict diff (remote → local)" language={language} />
      <div className="two-sides">
        <div>
          <h4>Local</h4>
          <pre aria-label="Local code" data-testid="conflict-local">{conflict.local.code}</pre>
        </div>
        <div>
          <h4>Remote v{conflict.remoteVersion ?? '?'}</h4>
          <pre aria-label="Remote code" data-testid="conflict-remote">{conflict.remote.code}</pre>
        </div>
      </div>
      {configDiffs.length > 0 && (
        <table className="kv" aria-label="Config differences">
          <tbody>
            {configDiffs.map((f) => (
              <tr key={f}>
                <th>{CONFIG_LABELS[f]}</th>
                <td>local: {formatConfigValue(conflict.local.config[f])}</td>
                <td>remote: {formatConfigValue(conflict.remote.config[f])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="row">
        <button type="button" className="danger" disabled={busy} onClick={onOverwrite}>
          Overwrite remote
        </button>
        <button type="button" disabled={busy} onClick={onPull}>
          Pull remote into local
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
      </div>
      <p className="hint">Overwriting keeps the remote version in the server's history (rollback brings it back); pulling keeps the local code as a local version.</p>
    </section>
  )
}
