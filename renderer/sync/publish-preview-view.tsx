import type { PublishPreview } from '../../common/contracts/sync-contract.ts'
import { CodeDiff } from './code-diff.tsx'
import { CONFIG_LABELS, formatConfigValue } from './format-config.ts'

interface Props {
  preview: PublishPreview
  language: 'javascript' | 'typescript'
  /** Names whose local values will be sent. */
  sendEnvVars: readonly string[]
  onToggleEnv(name: string, send: boolean): void
}

/** Variables the code reads that the server will not have, given the current "send value" choices. */
export function missingRemotely(preview: PublishPreview, sendEnvVars: readonly string[]): string[] {
  return preview.envVarsMissingRemotely.filter((name) => !sendEnvVars.includes(name))
}

/** What publishing will change on the server: code diff, config, env var names; nothing is sent from here. */
export function PublishPreviewView({ preview, language, sendEnvVars, onToggleEnv }: Props) {
  const missing = missingRemotely(preview, sendEnvVars)
  const remoteCode = preview.code.remote ?? ''
  const codeChanged = preview.code.remote === null || preview.code.remote !== preview.code.local
  return (
    <div className="publish-preview" data-testid="publish-preview">
      <p data-testid="publish-target">
        {preview.remote.exists
          ? `Remote function ${preview.remote.remoteFunctionId} · active version v${preview.remote.activeVersion ?? '?'}`
          : 'The function does not exist on this server yet: publishing creates it.'}
      </p>
      {preview.unchanged && sendEnvVars.length === 0 && (
        <p role="status" className="good" data-testid="publish-unchanged">
          Unchanged: the server's active version v{preview.remote.activeVersion ?? '?'} already has this code and config. Publishing would do nothing.
        </p>
      )}

      {missing.length > 0 && (
        <p role="alert" className="error-text" data-testid="missing-env-warning">
          The code reads {missing.map((n) => `env.${n}`).join(', ')}, which the server does not have
          {missing.some((n) => !preview.envVars.local.includes(n)) ? ' (and this machine does not set all of them either)' : ''}: check “send value” or set {missing.length === 1 ? 'it' : 'them'} on the server, or the function will see undefined.
        </p>
      )}

      <h3>Code</h3>
      {codeChanged ? <CodeDiff before={remoteCode} after={preview.code.local} label="Code diff (remote → local)" language={language} /> : <p className="hint">Code unchanged.</p>}

      <h3>Config</h3>
      {preview.configChanges.length === 0 ? (
        <p className="hint">Config unchanged.</p>
      ) : (
        <table className="kv" aria-label="Config changes">
          <thead>
            <tr>
              <th>Setting</th>
              <th>Remote now</th>
              <th>After publishing</th>
            </tr>
          </thead>
          <tbody>
            {preview.configChanges.map((c) => (
              <tr key={c.field}>
                <th>{CONFIG_LABELS[c.field]}</th>
                <td>{preview.remote.exists ? formatConfigValue(c.remote) : '—'}</td>
                <td>{formatConfigValue(c.local)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Environment variables</h3>
      {preview.envVars.local.length === 0 && preview.envVars.removed.length === 0 ? (
        <p className="hint">None.</p>
      ) : (
        <table className="kv" aria-label="Environment variables to publish">
          <tbody>
            {preview.envVars.local.map((name) => (
              <tr key={name}>
                <th>{name}</th>
                <td>{preview.envVars.added.includes(name) ? <span className="good">added (not on the server)</span> : <span className="hint">on the server</span>}</td>
                <td>
                  <label>
                    <input type="checkbox" aria-label={`Send value of ${name}`} checked={sendEnvVars.includes(name)} onChange={(e) => onToggleEnv(name, e.target.checked)} /> send value
                  </label>
                </td>
              </tr>
            ))}
            {preview.envVars.removed.map((name) => (
              <tr key={name}>
                <th>{name}</th>
                <td colSpan={2} className="hint">
                  removed locally, kept on the server
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">Values are sent only for checked variables, over the connection, and stored encrypted by the server; unchecked ones keep their remote values.</p>
    </div>
  )
}
