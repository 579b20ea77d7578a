import { z } from 'zod'
import { RUNTIMES, functionSpecSchema, type RuntimeLanguage } from './invocation.ts'
import { MEMORY_MB, TIMEOUT_MS, memoryMbSchema, timeoutMsSchema } from './limits.ts'

export const TRIGGER_TYPES = ['HTTP', 'CRON'] as const
export type TriggerType = (typeof TRIGGER_TYPES)[number]

export const FUNCTION_STATUSES = ['ACTIVE', 'DISABLED', 'ERROR'] as const
export type FunctionStatus = (typeof FUNCTION_STATUSES)[number]

/** A DNS label, so a name can double as a subdomain. */
export const slugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1–63 lowercase letters, digits or -, not starting or ending with -')

const headerNameSchema = z
  .string()
  .max(256)
  .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be an HTTP header name')
  .transform((name) => name.toLowerCase())

const cronSchema = z.string().max(200).regex(/^\s*\S+(\s+\S+){4,5}\s*$/, 'cron schedule needs 5 or 6 fields')
const routePathSchema = z.string().max(1024).regex(/^\//, 'path must start with /')

/** Field schemas without defaults, so an update patch never resets a field the caller left out. */
const field = {
  description: z.string().max(2000),
  code: functionSpecSchema.shape.code,
  handler: functionSpecSchema.shape.handler.unwrap(),
  runtime: z.enum(RUNTIMES),
  envVars: functionSpecSchema.shape.envVars.unwrap(),
  timeoutMs: timeoutMsSchema,
  memoryMb: memoryMbSchema,
  subdomain: slugSchema.nullable(),
  path: routePathSchema.nullable(),
  domainId: z.string().min(1).max(200).nullable(),
  triggerType: z.enum(TRIGGER_TYPES),
  cronSchedule: cronSchema.nullable(),
  status: z.enum(FUNCTION_STATUSES),
  /** Extra header names whose values are redacted from the invocation log, beyond the built-in list. */
  secretHeaders: z.array(headerNameSchema).max(50),
  /** Note recorded on the version this save creates, if it creates one. */
  note: z.string().max(500),
}

export const functionCreateSchema = z
  .object({
    /** Chosen by the caller when it must know the id before saving (to compile-check under it); generated otherwise. */
    id: z.uuid().optional(),
    owner: z.string().min(1).max(200),
    name: slugSchema,
    description: field.description.default(''),
    code: field.code,
    handler: field.handler.default('default'),
    runtime: field.runtime.default('JAVASCRIPT'),
    envVars: field.envVars.default({}),
    timeoutMs: field.timeoutMs.default(TIMEOUT_MS.default),
    memoryMb: field.memoryMb.default(MEMORY_MB.default),
    subdomain: field.subdomain.default(null),
    path: field.path.default(null),
    domainId: field.domainId.default(null),
    triggerType: field.triggerType.default('HTTP'),
    cronSchedule: field.cronSchedule.default(null),
    status: field.status.default('ACTIVE'),
    secretHeaders: field.secretHeaders.default([]),
    note: field.note.default(''),
  })
  .strict()

export const functionUpdateSchema = z
  .object({
    name: slugSchema.optional(),
    description: field.description.optional(),
    code: field.code.optional(),
    handler: field.handler.optional(),
    runtime: field.runtime.optional(),
    /** Replaces the whole set of env vars when present. */
    envVars: field.envVars.optional(),
    timeoutMs: field.timeoutMs.optional(),
    memoryMb: field.memoryMb.optional(),
    subdomain: field.subdomain.optional(),
    path: field.path.optional(),
    domainId: field.domainId.optional(),
    triggerType: field.triggerType.optional(),
    cronSchedule: field.cronSchedule.optional(),
    status: field.status.optional(),
    secretHeaders: field.secretHeaders.optional(),
    note: field.note.optional(),
  })
  .strict()

export type FunctionCreateInput = z.input<typeof functionCreateSchema>
export type FunctionCreate = z.output<typeof functionCreateSchema>
export type FunctionUpdateInput = z.input<typeof functionUpdateSchema>
export type FunctionUpdate = z.output<typeof functionUpdateSchema>

/** A stored function. Env var values never appear here: names only, values through an explicit reveal. */
export interface FunctionRecord {
  id: string
  owner: string
  name: string
  description: string
  code: string
  handler: string
  runtime: RuntimeLanguage
  envVarNames: string[]
  timeoutMs: number
  memoryMb: number
  subdomain: string | null
  path: string | null
  domainId: string | null
  triggerType: TriggerType
  cronSchedule: string | null
  status: FunctionStatus
  secretHeaders: string[]
  /** Version served by the runtime; null only before the first save completes. */
  activeVersion: number | null
  createdAt: number
  updatedAt: number
}

export type FunctionSummary = Omit<FunctionRecord, 'code'>

/** The part of a function that changes what the runtime does; hashed to decide whether a save is a new version. */
export interface VersionConfig {
  runtime: RuntimeLanguage
  handler: string
  timeoutMs: number
  memoryMb: number
}

export interface VersionRecord {
  functionId: string
  number: number
  contentHash: string
  code: string
  config: VersionConfig
  note: string
  createdAt: number
}

export type VersionSummary = Omit<VersionRecord, 'code'>

export interface SaveResult {
  function: FunctionRecord
  version: VersionSummary
  /** False when the content hash matched the latest version, so no version was written. */
  versionCreated: boolean
}
