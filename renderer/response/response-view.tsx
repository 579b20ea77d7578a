import { useState } from 'react'
import { OUTCOME_LABELS, type RunResult } from '../../common/ide/run-result.ts'
import { ConsoleView } from './console-view.tsx'
import { StackTrace } from './stack-trace.tsx'

function prettyBody(result: RunResult): string | null {
  const text = result.body.text
  if (text === null) return null
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

interface Props {
  result: RunResult | null
  error: string | null
  running: boolean
  fileName: string
  onJump(line: number, column?: number): void
}

/** Status, headers, body (pretty/raw/binary), console and metrics of the last run. */
export function ResponseView({ result, error, running, fileName, onJump }: Props) {
  const [tab, setTab] = useState<'pretty' | 'raw' | 'headers'>('pretty')
  if (running && !result) return <section className="response empty" aria-busy="true">Running…</section>
  if (error) return <section className="response empty" role="alert">{error}</section>
  if (!result) return <section className="response empty">Run the function (Ctrl/Cmd+Enter) to see its response here.</section>
  const failed = result.outcome !== 'ok'
  const pretty = prettyBody(result)
  return (
    <section className="response" aria-label="Response" data-testid="response" aria-busy={running}>
      <header className="response-head">
        <span className={`status ${failed || result.status >= 400 ? 'bad' : 'good'}`} data-testid="response-status">
          {result.status}
        </span>
        <span data-testid="response-outcome">{failed ? OUTCOME_LABELS[result.outcome] : 'OK'}</span>
        <span className="metric">{result.metrics.wallMs.toFixed(1)} ms</span>
        <span className="metric">CPU {result.metrics.cpuMs.toFixed(1)} ms</span>
        <span className="metric">{formatBytes(result.metrics.peakHeapBytes)} heap</span>
        <span className="metric">{result.metrics.coldStart ? 'cold start' : 'warm'}</span>
        <span className="metric">{formatBytes(result.body.sizeBytes)}</span>
      </header>
      {failed && result.error && (
        <div className="error-box" role="alert">
          <strong>{OUTCOME_LABELS[result.outcome]}:</strong> {result.error.message}
          {result.error.line !== undefined && (
            <button type="button" className="link" onClick={() => onJump(result.error!.line!, result.error!.column)}>
              {fileName}:{result.error.line}
            </button>
          )}
          {result.error.stack && <StackTrace stack={result.error.stack} fileName={fileName} onJump={onJump} />}
        </div>
      )}
      <div role="tablist" aria-label="Response view" className="tabs small">
        {(['pretty', 'raw', 'headers'] as const).map((t) => (
          <button key={t} role="tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t === 'pretty' ? 'Pretty' : t === 'raw' ? 'Raw' : `Headers (${Object.keys(result.headers).length})`}
          </button>
        ))}
      </div>
      {tab === 'headers' ? (
        <table className="kv">
          <tbody>
            {Object.entries(result.headers).map(([name, value]) => (
              <tr key={name}>
                <th>{name}</th>
                <td>{Array.isArray(value) ? value.join(', ') : value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : result.body.text === null ? (
        <p className="hint">Binary body, {formatBytes(result.body.sizeBytes)}.</p>
      ) : (
        <pre className="body" data-testid="response-body">
          {tab === 'pretty' ? pretty : result.body.text}
        </pre>
      )}
      <ConsoleView lines={result.console} />
    </section>
  )
}
