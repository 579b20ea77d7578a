import { useEffect, useState } from 'react'
import type { RequestSpec } from '../../common/ide/request-spec.ts'
import type { InvocationRecord, StoredBody } from '../../common/model/invocation-log.ts'
import { ConsoleView } from '../response/console-view.tsx'
import { formatBytes } from '../response/response-view.tsx'
import { errorText, useServices } from '../services.tsx'

function bodyText(body: StoredBody): string {
  if (body.data === null) return '(no body)'
  if (body.encoding === 'base64') return `(binary, ${formatBytes(body.sizeBytes)})`
  return body.truncated ? `${body.data}\n… (truncated, ${formatBytes(body.sizeBytes)} in total)` : body.data
}

/** The logged request as the request builder's model, for "Replay". */
export function toRequestSpec(record: InvocationRecord): RequestSpec {
  const query = Object.entries(record.request.query).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => ({ name, value: v, enabled: true })))
  const headers = Object.entries(record.request.headers)
    .filter(([name]) => name !== 'host' && name !== 'content-length')
    .map(([name, value]) => ({ name, value, enabled: true }))
  const body = record.request.body
  const isJson = (record.request.headers['content-type'] ?? '').includes('json')
  const bodyType = body.data === null || body.encoding === 'base64' ? 'none' : isJson ? 'json' : 'text'
  return { method: record.method, path: record.path, query, headers, bodyType, body: bodyType === 'none' ? '' : (body.data ?? '') }
}

interface DetailProps {
  id: string
  /** Reads a remote record instead of the local one. */
  load?: (id: string) => Promise<InvocationRecord>
  onReplay(request: RequestSpec): void
  onClose(): void
}

export function InvocationDetail({ id, load, onReplay, onClose }: DetailProps) {
  const { logs } = useServices()
  const [record, setRecord] = useState<InvocationRecord | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    setRecord(null)
    setError(null)
    ;(load ? load(id) : logs.get({ id })).then(setRecord, (e: unknown) => setError(errorText(e)))
  }, [id, logs, load])

  return (
    <aside className="log-detail" aria-label="Invocation detail" data-testid="invocation-detail">
      <div className="row">
        <h3>Invocation</h3>
        <button type="button" className="primary" disabled={!record} onClick={() => record && onReplay(toRequestSpec(record))}>
          Replay
        </button>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      {error && <p role="alert" className="error-text">{error}</p>}
      {!record && !error && <p className="hint" aria-busy="true">Loading…</p>}
      {record && (
        <>
          <p>
            {record.method} {record.path} → {record.status} ({record.outcome}) · {record.wallMs.toFixed(1)} ms · v{record.version || 'draft'} · {record.coldStart ? 'cold' : 'warm'}
          </p>
          {record.errorMessage && <p className="error-text">{record.errorMessage}</p>}
          <h4>Request headers</h4>
          <pre>{Object.entries(record.request.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}</pre>
          <h4>Request body</h4>
          <pre>{bodyText(record.request.body)}</pre>
          <h4>Response body</h4>
          <pre data-testid="detail-response-body">{bodyText(record.response.body)}</pre>
          <ConsoleView lines={record.console} />
        </>
      )}
    </aside>
  )
}
