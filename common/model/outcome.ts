/** The closed set of ways an invocation can end. Same names in the store, the API and the UI. */
export const OUTCOME_KINDS = [
  'ok',
  'runtime_error',
  'timeout',
  'memory_limit',
  'invalid_response',
  'response_too_large',
  'compile_error',
  'internal_error',
] as const

export type OutcomeKind = (typeof OUTCOME_KINDS)[number]

/** HTTP status a failed outcome is served with; `ok` uses the function's own status. */
export const FAILURE_STATUS: Record<Exclude<OutcomeKind, 'ok'>, number> = {
  runtime_error: 500,
  timeout: 504,
  memory_limit: 500,
  invalid_response: 500,
  response_too_large: 500,
  compile_error: 500,
  internal_error: 503,
}

export function isOutcomeKind(value: unknown): value is OutcomeKind {
  return typeof value === 'string' && (OUTCOME_KINDS as readonly string[]).includes(value)
}
