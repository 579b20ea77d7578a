import { CronPattern } from 'croner'
import { z } from 'zod'
import { hostnameSchema } from '../../common/model/domain.ts'
import { functionUpdateSchema, FUNCTION_STATUSES, slugSchema } from '../../common/model/function.ts'
import { rateLimitSchema } from '../../common/model/http-settings.ts'
import { OUTCOME_KINDS } from '../../common/model/outcome.ts'

/*
 * The management API's request shapes (the seed's field names: `timeout`, `memory`). Parsed once
 * at the HTTP boundary; the store validates again with its own schemas.
 */

const f = functionUpdateSchema.shape
/** Names that would reach Object.prototype through a plain object; refused instead of silently dropped. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const envVars = f.envVars.unwrap().superRefine((vars, ctx) => {
  for (const name of Object.keys(vars)) if (RESERVED_KEYS.has(name)) ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is a reserved name` })
})

const cronSchedule = f.cronSchedule.unwrap().unwrap().superRefine((pattern, ctx) => {
  try {
    new CronPattern(pattern)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid cron schedule: ${(error as Error).message}` })
  }
})

const common = {
  description: f.description,
  handler: f.handler,
  runtime: f.runtime,
  envVars: envVars.optional(),
  timeout: f.timeoutMs,
  memory: f.memoryMb,
  subdomain: f.subdomain,
  path: f.path,
  domainId: f.domainId,
  triggerType: f.triggerType,
  cronSchedule: cronSchedule.nullable().optional(),
  status: f.status,
  secretHeaders: f.secretHeaders,
  note: f.note,
  rateLimit: rateLimitSchema.nullable().optional(),
  debugResponses: z.boolean().optional(),
}

export const apiFunctionCreateSchema = z.object({ ...common, name: slugSchema, code: f.code.unwrap() }).strict()
export const apiFunctionPatchSchema = z
  .object({
    ...common,
    name: f.name,
    code: f.code,
    /** Sets these vars and keeps the others (`envVars` replaces the whole set): a publish sends only the values the user chose. */
    setEnvVars: envVars.optional(),
  })
  .strict()
  .refine((patch) => patch.envVars === undefined || patch.setEnvVars === undefined, { message: 'send envVars or setEnvVars, not both', path: ['setEnvVars'] })
export type ApiFunctionPatch = z.output<typeof apiFunctionPatchSchema>

const queryInt = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const csvList = z.string().max(2000).transform((s) => s.split(',').filter(Boolean))

export const listQuerySchema = z
  .object({
    limit: queryInt(1, 200).default(50),
    offset: queryInt(0, 1_000_000).default(0),
    status: z.enum(FUNCTION_STATUSES).optional(),
    /** Substring of the function name. */
    name: z.string().max(63).optional(),
  })
  .strict()

export const logsQuerySchema = z
  .object({
    text: z.string().max(500).optional(),
    outcome: csvList.pipe(z.array(z.enum(OUTCOME_KINDS)).min(1)).optional(),
    method: csvList.pipe(z.array(z.string().min(1).max(32)).min(1)).optional(),
    statusMin: queryInt(0, 999).optional(),
    statusMax: queryInt(0, 999).optional(),
    pathPrefix: z.string().min(1).max(1024).optional(),
    from: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    to: queryInt(0, Number.MAX_SAFE_INTEGER).optional(),
    minDurationMs: z.coerce.number().min(0).max(1e9).optional(),
    version: queryInt(0, 1_000_000_000).optional(),
    limit: queryInt(1, 500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict()

const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const
/** `90000`, `30s`, `5m`, `1h`, `1d` → milliseconds. */
const duration = z
  .string()
  .regex(/^\d{1,9}(ms|s|m|h|d)?$/, 'must be a duration like 5m, 1h or a number of milliseconds')
  .transform((s) => {
    const unit = (/[a-z]+$/.exec(s)?.[0] ?? 'ms') as keyof typeof DURATION_UNITS
    return Number.parseInt(s, 10) * DURATION_UNITS[unit]
  })
/** Epoch milliseconds or an ISO date. */
const instant = z.string().max(40).transform((s, ctx) => {
  const ms = /^\d+$/.test(s) ? Number(s) : Date.parse(s)
  if (!Number.isFinite(ms) || ms < 0) {
    ctx.addIssue({ code: 'custom', message: 'must be epoch milliseconds or an ISO date' })
    return z.NEVER
  }
  return ms
})

export const metricsQuerySchema = z.object({ from: instant.optional(), to: instant.optional(), bucket: duration.optional(), version: queryInt(0, 1e9).optional() }).strict()

export const invokeSchema = z
  .object({
    method: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,32}$/, 'method must be an HTTP token').default('GET'),
    path: z.string().max(8192).regex(/^\//, 'path must start with /').default('/'),
    headers: z.record(z.string().max(256), z.string().max(16 * 1024)).default({}),
    queryParams: z.record(z.string().max(1024), z.union([z.string().max(16 * 1024), z.array(z.string().max(16 * 1024)).max(100)])).default({}),
    /** A string is sent as is; any other JSON value is JSON-encoded (as a client would). */
    body: z.unknown().optional(),
  })
  .strict()

export const domainCreateBodySchema = z.object({ hostname: hostnameSchema }).strict()
export const idParam = z.string().min(1).max(200)
