import { useEffect, useState } from 'react'
import { errorText, useServices } from '../services.tsx'

interface Props {
  functionId: string
  names: string[]
  onNamesChange(names: string[]): void
}

/** Names listed, values masked; a value is fetched only when the user asks to reveal it. */
export function EnvVarsEditor({ functionId, names, onNamesChange }: Props) {
  const { functions } = useServices()
  const [revealed, setRevealed] = useState<Record<string, string>>({})
  const [name, setName] = useState('')
  const [value, setValue] = useState('')
  const [error, setError] = useState<string | null>(null)

  useEffect(() => setRevealed({}), [functionId])

  async function run(work: () => Promise<void>) {
    try {
      setError(null)
      await work()
    } catch (err) {
      setError(errorText(err))
    }
  }

  return (
    <section className="env-vars" aria-label="Environment variables">
      <h3>Environment variables</h3>
      <p className="hint">Stored encrypted on this machine. Functions read them as <code>env.NAME</code>.</p>
      {names.length === 0 ? (
        <p className="hint">No variables yet.</p>
      ) : (
        <table className="kv" data-testid="env-table">
          <tbody>
            {names.map((n) => (
              <tr key={n}>
                <th>{n}</th>
                <td>
                  {n in revealed ? (
                    <code>{revealed[n]}</code>
                  ) : (
                    <button type="button" className="link" aria-label={`Reveal ${n}`} onClick={() => void run(async () => setRevealed(await functions.revealEnvVars({ id: functionId })))}>
                      ••••••••
                    </button>
                  )}
                </td>
                <td>
                  <button type="button" aria-label={`Delete ${n}`} onClick={() => void run(async () => onNamesChange(await functions.deleteEnvVar({ id: functionId, name: n })))}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault()
          void run(async () => {
            onNamesChange(await functions.setEnvVar({ id: functionId, name: name.trim(), value }))
            setRevealed((r) => {
              const { [name.trim()]: _, ...rest } = r
              return rest
            })
            setName('')
            setValue('')
          })
        }}
      >
        <input aria-label="Variable name" placeholder="NAME" value={name} onChange={(e) => setName(e.target.value)} required />
        <input aria-label="Variable value" placeholder="value" type="password" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit">Set variable</button>
      </form>
      {error && <p role="alert" className="error-text">{error}</p>}
    </section>
  )
}
