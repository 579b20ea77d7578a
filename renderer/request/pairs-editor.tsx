import type { RequestPair } from '../../common/ide/request-spec.ts'

interface Props {
  label: string
  rows: RequestPair[]
  onChange(rows: RequestPair[]): void
}

/** Ordered name/value rows with an enable toggle, as in every API client. */
export function PairsEditor({ label, rows, onChange }: Props) {
  const update = (index: number, patch: Partial<RequestPair>) => onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)))
  return (
    <fieldset className="pairs" aria-label={label}>
      <legend>{label}</legend>
      {rows.map((row, index) => (
        <div className="pair-row" key={index}>
          <input type="checkbox" aria-label={`${label} ${index + 1} enabled`} checked={row.enabled} onChange={(e) => update(index, { enabled: e.target.checked })} />
          <input aria-label={`${label} ${index + 1} name`} placeholder="name" value={row.name} onChange={(e) => update(index, { name: e.target.value })} />
          <input aria-label={`${label} ${index + 1} value`} placeholder="value" value={row.value} onChange={(e) => update(index, { value: e.target.value })} />
          <button type="button" aria-label={`Remove ${label} ${index + 1}`} onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...rows, { name: '', value: '', enabled: true }])}>
        + Add {label.toLowerCase().replace(/s$/, '')}
      </button>
    </fieldset>
  )
}
