import { useEffect, useState, type ReactNode } from 'react'
import { MEMORY_MB, TIMEOUT_MS } from '../../common/model/limits.ts'
import type { FunctionRecord } from '../../common/model/function.ts'
import { functionSettingsSchema } from '../../common/contracts/functions-contract.ts'
import { errorText, useServices } from '../services.tsx'
import { EnvVarsEditor } from './env-vars-editor.tsx'

interface Props {
  fn: FunctionRecord
  envNames: string[]
  onEnvNamesChange(names: string[]): void
  onSaved(fn: FunctionRecord): void
}

interface Draft {
  description: string
  runtime: FunctionRecord['runtime']
  handler: string
  timeoutMs: string
  memoryMb: string
  subdomain: string
  path: string
  triggerType: FunctionRecord['triggerType']
  cronSchedule: string
}

const fromRecord = (fn: FunctionRecord): Draft => ({
  description: fn.description,
  runtime: fn.runtime,
  handler: fn.handler,
  timeoutMs: String(fn.timeoutMs),
  memoryMb: String(fn.memoryMb),
  subdomain: fn.subdomain ?? '',
  path: fn.path ?? '',
  triggerType: fn.triggerType,
  cronSchedule: fn.cronSchedule ?? '',
})

/** Runtime, handler, limits (validated with the same schema the host uses), route and trigger. */
export function SettingsPanel({ fn, envNames, onEnvNamesChange, onSaved }: Props) {
  const { functions } = useServices()
  const [draft, setDraft] = useState(() => fromRecord(fn))
  const [issues, setIssues] = useState<Record<string, string>>({})
  const [status, setStatus] = useState<string | null>(null)
  useEffect(() => setDraft(fromRecord(fn)), [fn])
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))

  async function save() {
    const settings = {
      description: draft.description,
      runtime: draft.runtime,
      handler: draft.handler,
      timeoutMs: Number(draft.timeoutMs),
      memoryMb: Number(draft.memoryMb),
      subdomain: draft.subdomain || null,
      path: draft.path || null,
      triggerType: draft.triggerType,
      cronSchedule: draft.triggerType === 'CRON' ? draft.cronSchedule || null : null,
    }
    const parsed = functionSettingsSchema.safeParse(settings)
    if (!parsed.success) {
      setIssues(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])))
      return
    }
    setIssues({})
    try {
      const saved = await functions.updateSettings({ id: fn.id, settings })
      onSaved(saved.function)
      setStatus('Settings saved')
    } catch (error) {
      setStatus(errorText(error))
    }
  }

  const field = (key: keyof Draft, label: string, input: ReactNode) => (
    <label className="field">
      <span>{label}</span>
      {input}
      {issues[key] && <span role="alert" className="error-text">{issues[key]}</span>}
    </label>
  )

  return (
    <div className="settings" data-testid="settings-panel">
      <form
        aria-label="Function settings"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <h3>Settings</h3>
        {field('description', 'Description', <input value={draft.description} onChange={(e) => set({ description: e.target.value })} />)}
        {field(
          'runtime',
          'Runtime',
          <select value={draft.runtime} onChange={(e) => set({ runtime: e.target.value as Draft['runtime'] })}>
            <option value="JAVASCRIPT">JavaScript</option>
            <option value="TYPESCRIPT">TypeScript</option>
          </select>,
        )}
        {field('handler', 'Handler export', <input value={draft.handler} onChange={(e) => set({ handler: e.target.value })} />)}
        {field('timeoutMs', `Timeout (ms, ${TIMEOUT_MS.min}–${TIMEOUT_MS.max})`, <input type="number" value={draft.timeoutMs} onChange={(e) => set({ timeoutMs: e.target.value })} />)}
        {field('memoryMb', `Memory (MB, ${MEMORY_MB.min}–${MEMORY_MB.max})`, <input type="number" value={draft.memoryMb} onChange={(e) => set({ memoryMb: e.target.value })} />)}
        {field('subdomain', 'Route subdomain', <input value={draft.subdomain} placeholder="(none)" onChange={(e) => set({ subdomain: e.target.value })} />)}
        {field('path', 'Route path', <input value={draft.path} placeholder="/api" onChange={(e) => set({ path: e.target.value })} />)}
        {field(
          'triggerType',
          'Trigger',
          <select value={draft.triggerType} onChange={(e) => set({ triggerType: e.target.value as Draft['triggerType'] })}>
            <option value="HTTP">HTTP</option>
            <option value="CRON">Schedule (cron)</option>
          </select>,
        )}
        {draft.triggerType === 'CRON' && field('cronSchedule', 'Cron schedule', <input value={draft.cronSchedule} placeholder="*/5 * * * *" onChange={(e) => set({ cronSchedule: e.target.value })} />)}
        <button type="submit" className="primary">Save settings</button>
        {status && <p role="status">{status}</p>}
      </form>
      <EnvVarsEditor functionId={fn.id} names={envNames} onNamesChange={onEnvNamesChange} />
    </div>
  )
}
