import { useState } from 'react'
import { TEMPLATES } from '../../common/ide/templates.ts'

interface Props {
  onCreate(name: string, template: string): Promise<void>
  onCancel(): void
}

export function NewFunctionForm({ onCreate, onCancel }: Props) {
  const [name, setName] = useState('')
  const [template, setTemplate] = useState(TEMPLATES[0]!.id)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const chosen = TEMPLATES.find((t) => t.id === template)
  return (
    <form
      className="new-function"
      aria-label="New function"
      onSubmit={async (e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        try {
          await onCreate(name.trim(), template)
        } catch (err) {
          setError(err instanceof Error ? err.message : String(err))
        } finally {
          setBusy(false)
        }
      }}
    >
      <label>
        Name
        <input value={name} onChange={(e) => setName(e.target.value)} placeholder="hello-world" autoFocus required />
      </label>
      <label>
        Template
        <select value={template} onChange={(e) => setTemplate(e.target.value)}>
          {TEMPLATES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      {chosen && <p className="hint">{chosen.description}</p>}
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>Create</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}
