import { describe, expect, it } from 'vitest'
import { evaluateAssertions, readJsonPath } from './evaluate-assertions.ts'
import type { RunResult } from './run-result.ts'

function result(over: Partial<RunResult> = {}): RunResult {
  const text = over.body?.text ?? '{"user":{"name":"ada","tags":["x","y"]},"n":1}'
  return {
    invocationId: 'i',
    outcome: 'ok',
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'set-cookie': ['a=1', 'b=2'] },
    body: { text, base64: '', sizeBytes: text.length },
    error: null,
    console: [],
    metrics: { wallMs: 12.5, cpuMs: 3, peakHeapBytes: 3 * 1024 * 1024, coldStart: false },
    version: 1,
    ...over,
  }
}

describe('assertions', () => {
  it('reads JSON paths in dotted and bracket forms', () => {
    const doc = { a: { b: [{ c: 1 }] } }
    expect(readJsonPath(doc, '$.a.b[0].c')).toBe(1)
    expect(readJsonPath(doc, 'a.b.0.c')).toBe(1)
    expect(readJsonPath(doc, 'a.missing')).toBeUndefined()
    expect(readJsonPath(doc, 'a.b.constructor')).toBeUndefined()
  })

  it('passes and fails each kind against one run', () => {
    const outcomes = evaluateAssertions(
      [
        { kind: 'status_equals', value: 200 },
        { kind: 'status_equals', value: 201 },
        { kind: 'header_equals', name: 'Content-Type', value: 'application/json; charset=utf-8' },
        { kind: 'header_contains', name: 'set-cookie', value: 'b=2' },
        { kind: 'header_contains', name: 'x-missing', value: 'a' },
        { kind: 'json_path_equals', path: '$.user.tags', value: '["x","y"]' },
        { kind: 'json_path_equals', path: 'user.name', value: '"bob"' },
        { kind: 'body_contains', value: '"ada"' },
        { kind: 'snapshot', value: 'something else' },
        { kind: 'duration_max', ms: 20 },
        { kind: 'duration_max', ms: 10 },
        { kind: 'memory_max', mb: 2 },
      ],
      result(),
    )
    expect(outcomes.map((o) => o.passed)).toEqual([true, false, true, true, false, true, false, true, false, true, false, false])
    expect(outcomes[1]!.actual).toBe('200')
    expect(outcomes[6]!.actual).toBe('"ada"')
    expect(outcomes[11]!.actual).toBe('3.0 MB')
  })

  it('compares JSON structurally, ignoring key order', () => {
    const [outcome] = evaluateAssertions([{ kind: 'json_path_equals', path: '$', value: '{"n":1,"user":{"tags":["x","y"],"name":"ada"}}' }], result())
    expect(outcome!.passed).toBe(true)
  })

  it('fails JSON assertions on a non-JSON body instead of throwing', () => {
    const [outcome] = evaluateAssertions([{ kind: 'json_path_equals', path: 'a', value: '1' }], result({ body: { text: 'plain', base64: '', sizeBytes: 5 } }))
    expect(outcome).toMatchObject({ passed: false, actual: 'body is not JSON' })
  })
})
