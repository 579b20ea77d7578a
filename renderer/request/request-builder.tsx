import { useState } from 'react'
import { bodyProblem, toCurl, type RequestSpec } from '../../common/ide/request-spec.ts'
import { PairsEditor } from './pairs-editor.tsx'

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']

interface Props {
  value: RequestSpec
  onChange(spec: RequestSpec): void
  onRun(): void
  running: boolean
  /** Where the function would be served, for "Copy as curl". */
  baseUrl: string
  copy?: (text: string) => Promise<void>
}

/** Method, path, query, headers and a validated body; Run is disabled while the body is invalid. */
export function RequestBuilder({ value, onChange, onRun, running, baseUrl, copy }: Props) {
  const [copied, setCopied] = useState(false)
  const problem = bodyProblem(value)
  const set = (patch: Partial<RequestSpec>) => onChange({ ...value, ...patch })
  const pathProblem = value.path.startsWith('/') ? null : 'Path must start with /'

  async function copyCurl() {
    const text = toCurl(value, baseUrl)
    await (copy ?? ((t: string) => navigator.clipboard.writeText(t)))(text)
    setCopied(true)
  }

  return (
    <form
      className="request-builder"
      aria-label="Request"
      onSubmit={(e) => {
        e.preventDefault()
        if (!problem && !pathProblem) onRun()
      }}
    >
      <div className="request-line">
        <select aria-label="Method" value={value.method} onChange={(e) => set({ method: e.target.value })}>
          {METHODS.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
        <input aria-label="Path" value={value.path} onChange={(e) => set({ path: e.target.value })} aria-invalid={pathProblem ? true : undefined} />
        <button type="submit" className="primary" disabled={running || problem !== null || pathProblem !== null} data-testid="run-button">
          {running ? 'Running…' : 'Run'}
        </button>
        <button type="button" onClick={() => void copyCurl()}>
          {copied ? 'Copied' : 'Copy as curl'}
        </button>
      </div>
      {pathProblem && <p role="alert" className="error-text">{pathProblem}</p>}
      <PairsEditor label="Query params" rows={value.query} onChange={(query) => set({ query })} />
      <PairsEditor label="Headers" rows={value.headers} onChange={(headers) => set({ headers })} />
      <fieldset className="body-editor">
        <legend>Body</legend>
        <div role="radiogroup" aria-label="Body type" className="segmented">
          {(['none', 'json', 'text'] as const).map((type) => (
            <label key={type}>
              <input type="radio" name="bodyType" value={type} checked={value.bodyType === type} onChange={() => set({ bodyType: type })} />
              {type === 'none' ? 'None' : type === 'json' ? 'JSON' : 'Text'}
            </label>
          ))}
        </div>
        {value.bodyType !== 'none' && (
          <textarea aria-label="Body" rows={5} value={value.body} spellCheck={false} onChange={(e) => set({ body: e.target.value })} aria-invalid={problem ? true : undefined} />
        )}
        {problem && (
          <p role="alert" className="error-text">
            {problem}
          </p>
        )}
        {value.bodyType !== 'none' && (value.method === 'GET' || value.method === 'HEAD') && <p className="hint">{value.method} requests are sent without a body.</p>}
      </fieldset>
    </form>
  )
}
