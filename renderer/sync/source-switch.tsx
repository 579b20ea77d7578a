export type ObserveSide = 'local' | 'remote'

interface Props {
  value: ObserveSide
  onChange(side: ObserveSide): void
  /** Why Remote is unavailable (no linked server yet); null when it can be chosen. */
  remoteDisabledReason: string | null
  /** Shown beside Remote, e.g. the server's name. */
  remoteLabel?: string
}

/** Local/Remote switch above the log and metrics views: same components, another source. */
export function SourceSwitch({ value, onChange, remoteDisabledReason, remoteLabel }: Props) {
  return (
    <div role="radiogroup" aria-label="Data source" className="segmented source-switch">
      <label>
        <input type="radio" name="observe-source" checked={value === 'local'} onChange={() => onChange('local')} /> Local
      </label>
      <label title={remoteDisabledReason ?? undefined}>
        <input type="radio" name="observe-source" checked={value === 'remote'} disabled={remoteDisabledReason !== null} onChange={() => onChange('remote')} /> Remote
        {remoteLabel && remoteDisabledReason === null && <span className="hint"> ({remoteLabel})</span>}
      </label>
      {remoteDisabledReason && <span className="hint">{remoteDisabledReason}</span>}
    </div>
  )
}
