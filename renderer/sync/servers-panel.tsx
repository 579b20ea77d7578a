import { useCallback, useEffect, useState } from 'react'
import { EVENTS } from '../../common/contracts/all-contracts.ts'
import type { ServerCheck, SyncChangedEvent, SyncServer } from '../../common/contracts/sync-contract.ts'
import { errorText, useServices } from '../services.tsx'

const describeCheck = (check: ServerCheck) =>
  check.ok ? `Connected: Edgepad ${check.serverVersion ?? '(unknown version)'} as ${check.user?.name ?? '?'}${check.user ? ` (${check.user.role})` : ''}` : `Failed: ${check.error?.message ?? 'unknown error'}`

/** Servers to publish to: add by URL + token (tested before it is stored), test, remove. */
export function ServersPanel() {
  const { sync, transport } = useServices()
  const [servers, setServers] = useState<SyncServer[] | null>(null)
  const [checks, setChecks] = useState<Record<string, ServerCheck | 'testing'>>({})
  const [form, setForm] = useState({ name: '', url: '', token: '' })
  const [adding, setAdding] = useState(false)
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null)
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null)

  const reload = useCallback(() => sync.listServers({}).then(setServers, (e: unknown) => setNote({ ok: false, text: errorText(e) })), [sync])
  useEffect(() => void reload(), [reload])
  useEffect(() => transport.listen(EVENTS.syncChanged, (p) => (p as SyncChangedEvent).kind === 'servers' && void reload()), [transport, reload])

  async function add() {
    setAdding(true)
    setNote(null)
    try {
      const { server, check } = await sync.addServer({ url: form.url.trim(), token: form.token.trim(), ...(form.name.trim() ? { name: form.name.trim() } : {}) })
      setChecks((c) => ({ ...c, [server.id]: check }))
      setForm({ name: '', url: '', token: '' })
      setNote({ ok: true, text: `Added ${server.name}. ${describeCheck(check)}` })
      await reload()
    } catch (e) {
      // Nothing is stored when the connection test fails, so the form keeps what was typed.
      setNote({ ok: false, text: `Could not add the server: ${errorText(e)}` })
    } finally {
      setAdding(false)
    }
  }

  async function test(id: string) {
    setChecks((c) => ({ ...c, [id]: 'testing' }))
    try {
      const check = await sync.testServer({ serverId: id })
      setChecks((c) => ({ ...c, [id]: check }))
      if (check.ok) await reload()
    } catch (e) {
      setChecks((c) => ({ ...c, [id]: { ok: false, serverVersion: null, user: null, error: { code: 'internal', message: errorText(e) } } }))
    }
  }

  async function remove(id: string) {
    setConfirmRemove(null)
    try {
      await sync.removeServer({ serverId: id })
      await reload()
    } catch (e) {
      setNote({ ok: false, text: errorText(e) })
    }
  }

  return (
    <section className="servers" aria-label="Server connections" data-testid="servers-panel">
      {servers === null ? (
        <p className="hint" aria-busy="true">Loading…</p>
      ) : servers.length === 0 ? (
        <p className="hint">No servers yet. Add one to publish functions to it.</p>
      ) : (
        <ul className="server-list" aria-label="Servers">
          {servers.map((s) => {
            const check = checks[s.id]
            return (
              <li key={s.id} data-testid="server-item">
                <div className="row">
                  <strong>{s.name}</strong>
                  <span className="hint">{s.url}</span>
                  <span data-testid="server-identity">
                    {s.serverVersion ? `Edgepad ${s.serverVersion}` : 'version unknown'} · {s.userName ? `as ${s.userName}` : 'user unknown'}
                  </span>
                </div>
                <div className="row">
                  <button type="button" aria-label={`Test ${s.name}`} disabled={check === 'testing'} onClick={() => void test(s.id)}>
                    {check === 'testing' ? 'Testing…' : 'Test connection'}
                  </button>
                  {confirmRemove === s.id ? (
                    <span role="alertdialog" aria-label={`Confirm removing ${s.name}`} className="row">
                      Forget {s.name} and its queued publishes? Remote functions stay.
                      <button type="button" className="danger" onClick={() => void remove(s.id)}>
                        Remove
                      </button>
                      <button type="button" onClick={() => setConfirmRemove(null)}>Keep</button>
                    </span>
                  ) : (
                    <button type="button" aria-label={`Remove ${s.name}`} onClick={() => setConfirmRemove(s.id)}>
                      Remove
                    </button>
                  )}
                  {check && check !== 'testing' && (
                    <span role="status" className={check.ok ? 'good' : 'error-text'} data-testid="server-check">
                      {describeCheck(check)}
                    </span>
                  )}
                </div>
              </li>
            )
          })}
        </ul>
      )}
      <form
        aria-label="Add server"
        className="add-server"
        onSubmit={(e) => {
          e.preventDefault()
          void add()
        }}
      >
        <h3>Add a server</h3>
        <label className="field">
          <span>Server URL</span>
          <input type="url" required placeholder="https://edgepad.example.com" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
        </label>
        <label className="field">
          <span>Token</span>
          <input type="password" required autoComplete="off" placeholder="ep_…" value={form.token} onChange={(e) => setForm({ ...form, token: e.target.value })} />
        </label>
        <label className="field">
          <span>Name (optional)</span>
          <input value={form.name} placeholder="defaults to the host name" onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <button type="submit" className="primary" disabled={adding}>
          {adding ? 'Testing connection…' : 'Test and add'}
        </button>
        <p className="hint">The connection is tested first; the token is stored encrypted on this machine.</p>
      </form>
      {note && (
        <p role={note.ok ? 'status' : 'alert'} className={note.ok ? 'good' : 'error-text'} data-testid="servers-note">
          {note.text}
        </p>
      )}
    </section>
  )
}
