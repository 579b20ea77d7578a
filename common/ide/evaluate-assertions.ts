import type { RunResult } from './run-result.ts'
import type { Assertion, AssertionResult } from './test-case.ts'

/** Reads `$.a.b[0]`, `a.b.0` or `items[2].name`; undefined when any step is missing. */
export function readJsonPath(root: unknown, path: string): unknown {
  const steps = path
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((step) => step !== '')
  let current: unknown = root
  for (const step of steps) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return undefined
    current = (current as Record<string, unknown>)[step]
  }
  return current
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    )
  }
  return value
}

function header(result: RunResult, name: string): string | null {
  const value = result.headers[name.toLowerCase()]
  if (value === undefined) return null
  return Array.isArray(value) ? value.join(', ') : value
}

function evaluate(assertion: Assertion, result: RunResult): AssertionResult {
  const check = (passed: boolean, actual: string): AssertionResult => ({ assertion, passed, actual })
  const body = result.body.text
  switch (assertion.kind) {
    case 'status_equals':
      return check(result.status === assertion.value, String(result.status))
    case 'header_equals': {
      const value = header(result, assertion.name)
      return check(value === assertion.value, value ?? '(missing)')
    }
    case 'header_contains': {
      const value = header(result, assertion.name)
      return check(value !== null && value.includes(assertion.value), value ?? '(missing)')
    }
    case 'json_path_equals': {
      let parsedBody: unknown
      let expected: unknown
      try {
        parsedBody = JSON.parse(body ?? '')
      } catch {
        return check(false, 'body is not JSON')
      }
      try {
        expected = JSON.parse(assertion.value)
      } catch {
        return check(false, 'expected value is not JSON')
      }
      const actual = readJsonPath(parsedBody, assertion.path)
      return check(actual !== undefined && sameJson(actual, expected), actual === undefined ? '(missing)' : JSON.stringify(actual))
    }
    case 'body_contains':
      return check(body !== null && body.includes(assertion.value), body === null ? '(binary body)' : clip(body))
    case 'snapshot':
      return check(body === assertion.value, body === null ? '(binary body)' : clip(body))
    case 'duration_max':
      return check(result.metrics.wallMs <= assertion.ms, `${result.metrics.wallMs.toFixed(1)} ms`)
    case 'memory_max': {
      const mb = result.metrics.peakHeapBytes / (1024 * 1024)
      return check(mb <= assertion.mb, `${mb.toFixed(1)} MB`)
    }
  }
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

/** Pure, so the host runs it and the renderer's tests can exercise it without a runtime. */
export function evaluateAssertions(assertions: readonly Assertion[], result: RunResult): AssertionResult[] {
  return assertions.map((assertion) => evaluate(assertion, result))
}

export function describeAssertion(assertion: Assertion): string {
  switch (assertion.kind) {
    case 'status_equals':
      return `status = ${assertion.value}`
    case 'header_equals':
      return `header ${assertion.name} = ${assertion.value}`
    case 'header_contains':
      return `header ${assertion.name} contains ${assertion.value}`
    case 'json_path_equals':
      return `${assertion.path} = ${assertion.value}`
    case 'body_contains':
      return `body contains ${assertion.value}`
    case 'snapshot':
      return 'body matches snapshot'
    case 'duration_max':
      return `duration ≤ ${assertion.ms} ms`
    case 'memory_max':
      return `memory ≤ ${assertion.mb} MB`
  }
}
