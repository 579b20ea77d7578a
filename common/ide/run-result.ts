import type { ConsoleLine, InvocationError, InvocationMetrics } from '../model/invocation.ts'
import type { OutcomeKind } from '../model/outcome.ts'

/** A run as it crosses to the renderer: JSON-safe, the body both as text (when UTF-8) and base64. */
export interface RunResult {
  invocationId: string
  outcome: OutcomeKind
  status: number
  headers: Record<string, string | string[]>
  body: { text: string | null; base64: string; sizeBytes: number }
  error: InvocationError | null
  console: ConsoleLine[]
  metrics: InvocationMetrics
  /** Version run, or 0 for unsaved editor code. */
  version: number
}

/** The outcome kinds in words, for people. */
export const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  ok: 'OK',
  runtime_error: 'Uncaught error',
  timeout: 'Timed out',
  memory_limit: 'Memory limit exceeded',
  invalid_response: 'Invalid response',
  response_too_large: 'Response too large',
  compile_error: 'Compile error',
  internal_error: 'Worker failed',
}
