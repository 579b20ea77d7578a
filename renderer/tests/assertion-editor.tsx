import { useState } from 'react'
import { describeAssertion } from '../../common/ide/evaluate-assertions.ts'
import { ASSERTION_KINDS, ASSERTION_LABELS, assertionSchema, type Assertion, type AssertionKind } from '../../common/ide/test-case.ts'

interface Props {
  assertions: Assertion[]
  onChange(assertions: Assertion[]): void
  /** Body of the last run, used as the snapshot value. */
  snapshotBody: string | null
}

interface Fields {
  name: string
  value: string
}

function build(kind: AssertionKind, fields: Fields, snapshotBody: string | null): unknown {
  switch (kind) {
    case 'status_equals':
      return { kind, value: Number(fields.value) }
    case 'header_equals':
    case 'header_contains':
      return { kind, name: fields.name, value: fields.value }
    case 'json_path_equals':
      return { kind, path: fields.name, value: fields.value }
    case 'body_contains':
      return { kind, value: fields.value }
    case 'snapshot':
      return { kind, value: snapshotBody ?? '' }
    case 'duration_max':
      return { kind, ms: Number(fields.value) }
    case 'memory_max':
      return { kind, mb: Number(fields.value) }
  }
}

const NAME_LABEL: Partial<Record<AssertionKind, string>> = { header_equals: 'Header name', header_contains: 'Header name', json_path_equals: 'JSON path' }
const VALUE_LABEL: Partial<Record<AssertionKind, string>> = {
  status_equals: 'Status',
  header_equals: 'Expected value',
  header_contains: 'Expected text',
  json_path_equals: 'Expected JSON',
  body_contains: 'Expected text',
  duration_max: 'Max ms',
  memory_max: 'Max MB',
}

/** Adds assertions one at a time, validated with the same schema the host stores them with. */
export function AssertionEditor({ assertions, onChange, snapshotBody }: Props) {
  const [kind, setKind] = useState<AssertionKind>('status_equals')
  const [fields, setFields] = useState<Fields>({ name: '', value: '' })
  const [error, setError] = useState<string | null>(null)

  function add() {
    const parsed = assertionSchema.safeParse(build(kind, fields, snapshotBody))
    if (!parsed.success) {
      setError(parsed.error.issues.map((i) => `${i.path.join('.') || kind}: ${i.message}`).join('; '))
      return
    }
    if (kind === 'snapshot' && snapshotBody === null) {
      setError('Run the request first: the snapshot is the body of the last run')
      return
    }
    setError(null)
    onChange([...assertions, parsed.data])
    setFields({ name: '', value: '' })
  }

  return (
    <fieldset className="assertions" aria-label="Assertions">
      <legend>Assertions</legend>
      {assertions.length === 0 ? (
        <p className="hint">No assertions: the case passes whenever the run completes.</p>
      ) : (
        <ul>
          {assertions.map((a, i) => (
            <li key={i}>
              {describeAssertion(a)}{' '}
              <button type="button" aria-label={`Remove assertion ${i + 1}`} onClick={() => onChange(assertions.filter((_, j) => j !== i))}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <select aria-label="Assertion kind" value={kind} onChange={(e) => setKind(e.target.value as AssertionKind)}>
          {ASSERTION_KINDS.map((k) => (
            <option key={k} value={k}>
              {ASSERTION_LABELS[k]}
            </option>
          ))}
        </select>
        {NAME_LABEL[kind] && <input aria-label={NAME_LABEL[kind]} value={fields.name} onChange={(e) => setFields({ ...fields, name: e.target.value })} />}
        {VALUE_LABEL[kind] && <input aria-label={VALUE_LABEL[kind]} value={fields.value} onChange={(e) => setFields({ ...fields, value: e.target.value })} />}
        <button type="button" onClick={add}>
          Add assertion
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
    </fieldset>
  )
}
