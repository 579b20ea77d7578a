import type { ConsoleLevel, ConsoleLine, EdgeResponse, InvocationError, InvocationResult } from '../../common/model/invocation.ts'
import { CONSOLE_LEVELS, LINE_TRUNCATED } from '../../common/model/invocation.ts'
import { FAILURE_STATUS, type OutcomeKind } from '../../common/model/outcome.ts'

export const CONSOLE_LIMITS = { lines: 1000, bytes: 1024 * 1024, lineBytes: 16 * 1024 } as const

/** What the guest's `complete` hook reported, unchecked (see HostHooks.complete). */
export interface ReportedOutcome {
  kind: unknown
  statusOrName: unknown
  headersOrMessage: unknown
  bodyOrStack: unknown
}

/**
 * The host's bookkeeping for one invocation in flight: deadline, console, CPU and heap, and how it
 * reaches its caller. One object of one shape per invocation, the fields every one of them needs.
 */
export class InvocationRecord {
  readonly id: number
  readonly startedAt = performance.now()
  readonly deadline: number
  readonly coldStart: boolean
  readonly console: ConsoleLine[] = []
  readonly ops = new Set<number>()
  cpuNs = 0n
  peakHeapBytes = 0
  subrequests = 0
  done = false
  /** The caller's promise; a no-op for records that never go back to a caller. */
  resolve: (result: InvocationResult) => void = ignore
  onFinal: ((result: InvocationResult) => void) | undefined = undefined
  /** The wall-clock deadline, armed only when the invocation outlives its first entry into the isolate. */
  timer: NodeJS.Timeout | undefined = undefined
  outcome: ReportedOutcome | null = null
  /** Pending ctx.waitUntil promises. */
  waits = 0
  /** The early result, already resolved, while ctx.waitUntil work runs on. */
  responded: InvocationResult | null = null
  private active = 0
  private readonly waiting: (() => void)[] = []
  private consoleBytes = 0
  private truncated = false

  constructor(id: number, timeoutMs: number, coldStart: boolean) {
    this.id = id
    this.deadline = this.startedAt + timeoutMs
    this.coldStart = coldStart
  }

  /** Runs `task` when fewer than `max` of this invocation's tasks are running. */
  async runLimited<T>(max: number, task: () => Promise<T>): Promise<T> {
    if (this.active >= max) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.active++
    try {
      return await task()
    } finally {
      this.active--
      this.waiting.shift()?.()
    }
  }

  remainingMs(): number {
    return Math.max(0, Math.floor(this.deadline - performance.now()))
  }

  addConsole(level: string, message: string): void {
    if (this.truncated) return
    const lvl: ConsoleLevel = (CONSOLE_LEVELS as readonly string[]).includes(level) ? (level as ConsoleLevel) : 'log'
    const capped = message.length > CONSOLE_LIMITS.lineBytes ? message.slice(0, CONSOLE_LIMITS.lineBytes) + LINE_TRUNCATED : message
    const text = escapeControls(capped)
    if (this.console.length >= CONSOLE_LIMITS.lines || this.consoleBytes + text.length > CONSOLE_LIMITS.bytes) {
      this.truncated = true
      this.console.push({ level: 'warn', message: '[console output truncated: per-invocation limit reached]', at: Date.now() })
      return
    }
    this.consoleBytes += text.length
    this.console.push({ level: lvl, message: text, at: Date.now() })
  }

  result(outcome: OutcomeKind, response: EdgeResponse | null, error?: InvocationError): InvocationResult {
    const metrics = {
      wallMs: round(performance.now() - this.startedAt),
      cpuMs: round(Number(this.cpuNs) / 1e6),
      peakHeapBytes: this.peakHeapBytes,
      coldStart: this.coldStart,
    }
    // Two literals rather than a spread of `{ error }`: the same keys in the same order, built directly.
    const body = response ?? errorResponse(outcome, error)
    return error
      ? { outcome, response: body, error, console: this.console.slice(), metrics }
      : { outcome, response: body, console: this.console.slice(), metrics }
  }
}

/** What the function's owner is served when an invocation fails: `{ error, stack }` as JSON. */
/** The result of an invocation the runtime ended for it (its worker died, or never answered). */
export function failureResult(outcome: Exclude<OutcomeKind, 'ok'>, message: string, wallMs = 0): InvocationResult {
  const error = { message }
  return { outcome, response: errorResponse(outcome, error), error, console: [], metrics: { wallMs, cpuMs: 0, peakHeapBytes: 0, coldStart: false } }
}

export function errorResponse(outcome: OutcomeKind, error?: InvocationError): EdgeResponse {
  const status = outcome === 'ok' ? 500 : FAILURE_STATUS[outcome]
  const payload = { error: error?.message ?? outcome, kind: outcome, ...(error?.stack ? { stack: error.stack } : {}) }
  return { statusCode: status, headers: { 'content-type': 'application/json' }, body: new TextEncoder().encode(JSON.stringify(payload)) }
}

/**
 * A console line can never pose as another entry or another level: newlines, carriage returns and
 * every other control character are written as visible escapes. Tabs stay as they are.
 */
export function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, (ch) => {
    if (ch === '\n') return '\\n'
    if (ch === '\r') return '\\r'
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`
  })
}

function ignore(): void {}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000
}
