import { z } from 'zod'
import type { OutcomeKind } from './outcome.ts'
import { MEMORY_MB, TIMEOUT_MS, memoryMbSchema, timeoutMsSchema } from './limits.ts'

export const RUNTIMES = ['JAVASCRIPT', 'TYPESCRIPT'] as const
export type RuntimeLanguage = (typeof RUNTIMES)[number]

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const envName = /^[A-Za-z_][A-Za-z0-9_]*$/
/** The longest env var value (the log's journal sizes what it keeps of a body by it: env values are secrets). */
export const ENV_VALUE_MAX_CHARS = 64 * 1024

/** What the runtime needs to run one function version. */
export const functionSpecSchema = z.object({
  /** Stable id of the function; invocations of different ids never share an isolate. */
  id: z.string().min(1).max(200),
  code: z.string().max(5 * 1024 * 1024, 'code must be at most 5 MB'),
  runtime: z.enum(RUNTIMES).default('JAVASCRIPT'),
  /** Export to call: `default`, or a named export such as `handler`. */
  handler: z.string().regex(identifier, 'handler must be an export name like "default" or "handler"').default('default'),
  envVars: z
    .record(z.string().regex(envName, 'env var names are letters, digits and _, not starting with a digit'), z.string().max(ENV_VALUE_MAX_CHARS))
    .default({}),
  timeoutMs: timeoutMsSchema.default(TIMEOUT_MS.default),
  memoryMb: memoryMbSchema.default(MEMORY_MB.default),
  /** Name shown in stack traces, e.g. `hello.ts`. */
  filename: z.string().max(200).optional(),
})

export type FunctionSpecInput = z.input<typeof functionSpecSchema>
export type FunctionSpec = z.output<typeof functionSpecSchema>

export type Body = string | Uint8Array | null

/** The seed request shape every handler receives (Web-form handlers get a `Request` built from it). */
export interface EdgeRequest {
  method: string
  /** Full URL as the client asked for it, e.g. `https://fn.example.com/users?id=1`. */
  url: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  body: Body
}

export const edgeRequestSchema = z.object({
  method: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'method must be an HTTP token').max(32),
  url: z.string().max(16 * 1024),
  path: z.string().max(16 * 1024),
  query: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
  headers: z.record(z.string(), z.string()),
  body: z.union([z.string(), z.custom<Uint8Array>((value) => value instanceof Uint8Array, 'body must be a string or bytes'), z.null()]),
})

/** A response after the host normalised it: body is always bytes. */
export interface EdgeResponse {
  statusCode: number
  /** Lowercase names. Only `set-cookie` may repeat, and then it is an array. */
  headers: Record<string, string | string[]>
  body: Uint8Array
}

export const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const
export type ConsoleLevel = (typeof CONSOLE_LEVELS)[number]

/** Ends a console line the runtime cut at its length limit (the log's redaction looks for it: the cut may split a secret). */
export const LINE_TRUNCATED = '… [line truncated]'

export interface ConsoleLine {
  level: ConsoleLevel
  message: string
  /** Epoch milliseconds. */
  at: number
}

export interface InvocationMetrics {
  wallMs: number
  cpuMs: number
  peakHeapBytes: number
  /** True when this invocation had to compile the function (no warm isolate). */
  coldStart: boolean
}

export interface InvocationError {
  message: string
  stack?: string
  line?: number
  column?: number
}

/** What `run()` returns: one value of the closed outcome union, never a thrown exception. */
export interface InvocationResult {
  outcome: OutcomeKind
  /** For `ok` the function's response; otherwise the error response served to the owner. */
  response: EdgeResponse
  error?: InvocationError
  console: ConsoleLine[]
  metrics: InvocationMetrics
  /**
   * True when `ctx.waitUntil` work was still running when the response was ready. The final result
   * (its console lines and metrics complete) is delivered to the caller's `onFinal` later.
   */
  background?: boolean
}
