import { useEffect, useRef, useState } from 'react'
import type { TestCaseRun } from '../../common/contracts/tests-contract.ts'
import { describeAssertion } from '../../common/ide/evaluate-assertions.ts'
import type { RequestSpec } from '../../common/ide/request-spec.ts'
import type { Assertion, TestCase } from '../../common/ide/test-case.ts'
import { errorText, useServices } from '../services.tsx'
import { AssertionEditor } from './assertion-editor.tsx'

interface Props {
  functionId: string
  /** The request builder's current request: what "Save as test case" stores. */
  request: RequestSpec
  /** The editor's code, so cases run against unsaved changes too. */
  code: string
  lastBody: string | null
  onLoadRequest(request: RequestSpec): void
}

/** Saved requests with assertions; run one or all, with progress and a Stop button. */
export function TestCasesPanel({ functionId, request, code, lastBody, onLoadRequest }: Props) {
  const { tests } = useServices()
  const [cases, setCases] = useState<TestCase[] | null>(null)
  const [results, setResults] = useState<Record<string, TestCaseRun | { error: string }>>({})
  const [name, setName] = useState('')
  const [assertions, setAssertions] = useState<Assertion[]>([])
  const [error, setError] = useState<string | null>(null)
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null)
  const cancelled = useRef(false)

  useEffect(() => {
    setCases(null)
    setResults({})
    tests.list({ functionId }).then(setCases, (e: unknown) => setError(errorText(e)))
  }, [functionId, tests])

  async function runOne(testCase: TestCase) {
    try {
      const outcome = await tests.run({ functionId, caseId: testCase.id, code })
      setResults((r) => ({ ...r, [testCase.id]: outcome }))
    } catch (e) {
      setResults((r) => ({ ...r, [testCase.id]: { error: errorText(e) } }))
    }
  }

  async function runAll() {
    if (!cases) return
    cancelled.current = false
    setResults({})
    for (let i = 0; i < cases.length; i++) {
      // Cases run one per call, so Stop takes effect between cases.
      if (cancelled.current) break
      setProgress({ done: i, total: cases.length })
      await runOne(cases[i]!)
    }
    setProgress(null)
  }

  const finished = Object.values(results)
  const passed = finished.filter((r) => 'passed' in r && r.passed).length

  return (
    <div className="tests" data-testid="tests-panel">
      <form
        className="save-case"
        aria-label="Save request as test case"
        onSubmit={async (e) => {
          e.preventDefault()
          try {
            setError(null)
            const saved = await tests.save({ functionId, testCase: { name, request, assertions } })
            setCases((c) => [...(c ?? []), saved])
            setName('')
            setAssertions([])
          } catch (err) {
            setError(errorText(err))
          }
        }}
      >
        <h3>Save the current request as a test case</h3>
        <p className="hint">
          {request.method} {request.path}
        </p>
        <label>
          Test case name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <AssertionEditor assertions={assertions} onChange={setAssertions} snapshotBody={lastBody} />
        <button type="submit" className="primary">Save test case</button>
      </form>
      {error && <p role="alert" className="error-text">{error}</p>}
      <div className="row">
        <h3>Test cases</h3>
        <button type="button" className="primary" disabled={!cases?.length || progress !== null} onClick={() => void runAll()}>
          Run all
        </button>
        {progress && (
          <>
            <progress value={progress.done} max={progress.total} aria-label="Test progress" />
            <span>
              {progress.done}/{progress.total}
            </span>
            <button type="button" onClick={() => (cancelled.current = true)}>Stop</button>
          </>
        )}
        {!progress && finished.length > 0 && (
          <span data-testid="tests-summary" className={passed === finished.length ? 'good' : 'bad'}>
            {passed}/{finished.length} passed
          </span>
        )}
      </div>
      {cases === null ? (
        <p className="hint" aria-busy="true">Loading…</p>
      ) : cases.length === 0 ? (
        <p className="hint">No test cases yet. Build a request, add assertions and save it above.</p>
      ) : (
        <ul className="case-list">
          {cases.map((c) => {
            const result = results[c.id]
            return (
              <li key={c.id} data-testid="test-case">
                <div className="row">
                  <strong>{c.name}</strong>
                  <span className="hint">
                    {c.request.method} {c.request.path}
                  </span>
                  {result && ('error' in result ? <span className="bad">error</span> : <span className={result.passed ? 'good' : 'bad'}>{result.passed ? 'passed' : 'failed'}</span>)}
                  <button type="button" onClick={() => void runOne(c)}>Run</button>
                  <button type="button" onClick={() => onLoadRequest(c.request)}>Load request</button>
                  <button
                    type="button"
                    aria-label={`Delete test case ${c.name}`}
                    onClick={async () => {
                      await tests.delete({ functionId, caseId: c.id })
                      setCases((all) => all?.filter((x) => x.id !== c.id) ?? null)
                    }}
                  >
                    Delete
                  </button>
                </div>
                {result && 'error' in result && <p className="error-text">{result.error}</p>}
                {result && 'assertions' in result && (
                  <ul className="assertion-results">
                    {result.assertions.map((a, i) => (
                      <li key={i} className={a.passed ? 'good' : 'bad'}>
                        {a.passed ? '✓' : '✗'} {describeAssertion(a.assertion)} <span className="hint">(got {a.actual})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}
