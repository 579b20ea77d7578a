import { z } from 'zod'
import { requestSpecSchema } from './request-spec.ts'

const text = z.string().max(64 * 1024)

/** The closed set of checks a test case can make against one run. */
export const assertionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('status_equals'), value: z.number().int().min(100).max(599) }),
  z.object({ kind: z.literal('header_equals'), name: z.string().min(1).max(256), value: text }),
  z.object({ kind: z.literal('header_contains'), name: z.string().min(1).max(256), value: text }),
  /** `value` is JSON text compared structurally, e.g. `"ada"` or `{"n":1}`. */
  z.object({ kind: z.literal('json_path_equals'), path: z.string().min(1).max(500), value: text }),
  z.object({ kind: z.literal('body_contains'), value: text.min(1) }),
  /** The exact body text recorded when the assertion was created. */
  z.object({ kind: z.literal('snapshot'), value: z.string().max(1024 * 1024) }),
  z.object({ kind: z.literal('duration_max'), ms: z.number().positive().max(60_000) }),
  z.object({ kind: z.literal('memory_max'), mb: z.number().positive().max(4096) }),
])

export type Assertion = z.output<typeof assertionSchema>
export type AssertionKind = Assertion['kind']

export const ASSERTION_KINDS: readonly AssertionKind[] = [
  'status_equals',
  'header_equals',
  'header_contains',
  'json_path_equals',
  'body_contains',
  'snapshot',
  'duration_max',
  'memory_max',
]

export const ASSERTION_LABELS: Record<AssertionKind, string> = {
  status_equals: 'Status equals',
  header_equals: 'Header equals',
  header_contains: 'Header contains',
  json_path_equals: 'JSON path equals',
  body_contains: 'Body contains',
  snapshot: 'Body matches snapshot',
  duration_max: 'Duration ≤ ms',
  memory_max: 'Memory ≤ MB',
}

export const testCaseInputSchema = z
  .object({
    /** Present when updating an existing case. */
    id: z.string().min(1).max(100).optional(),
    name: z.string().trim().min(1, 'name the test case').max(200),
    request: requestSpecSchema,
    assertions: z.array(assertionSchema).max(50),
  })
  .strict()

export type TestCaseInput = z.input<typeof testCaseInputSchema>

export interface TestCase {
  id: string
  functionId: string
  name: string
  request: z.output<typeof requestSpecSchema>
  assertions: Assertion[]
  createdAt: number
  updatedAt: number
}

export interface AssertionResult {
  assertion: Assertion
  passed: boolean
  /** What was observed, for the failure message. */
  actual: string
}
