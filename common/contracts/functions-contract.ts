import { z } from 'zod'
import { functionUpdateSchema, slugSchema, type FunctionRecord, type FunctionSummary, type SaveResult } from '../model/function.ts'
import { ENV_VALUE_MAX_CHARS } from '../model/invocation.ts'
import { defineContract, method } from './contract.ts'

const fnId = z.string().min(1).max(200)
const byId = z.object({ id: fnId }).strict()
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'names are letters, digits and _, not starting with a digit').max(128)

export interface CompileDiagnostic {
  message: string
  line: number | null
  column: number | null
}

export interface SaveOutcome {
  function: FunctionRecord
  versionCreated: boolean
  /** Null when the saved code compiles. The code is saved either way: the editor's work is never lost. */
  diagnostic: CompileDiagnostic | null
}

/** Settings a user edits in the settings panel; code and env vars have their own methods. */
export const functionSettingsSchema = functionUpdateSchema.pick({
  description: true,
  runtime: true,
  handler: true,
  timeoutMs: true,
  memoryMb: true,
  subdomain: true,
  path: true,
  triggerType: true,
  cronSchedule: true,
})

export const functionsContract = defineContract('functions', {
  list: method(z.object({ search: z.string().max(200).optional() }).strict()).returns<FunctionSummary[]>(),
  get: method(byId).returns<FunctionRecord>(),
  create: method(z.object({ name: slugSchema, template: z.string().min(1).max(100) }).strict()).returns<FunctionRecord>(),
  save: method(z.object({ id: fnId, code: z.string().max(5 * 1024 * 1024) }).strict()).returns<SaveOutcome>(),
  updateSettings: method(z.object({ id: fnId, settings: functionSettingsSchema }).strict()).returns<SaveResult>(),
  rename: method(z.object({ id: fnId, name: slugSchema }).strict()).returns<FunctionRecord>(),
  duplicate: method(z.object({ id: fnId, name: slugSchema }).strict()).returns<FunctionRecord>(),
  delete: method(byId).returns<{ deleted: true }>(),
  envVarNames: method(byId).returns<string[]>(),
  revealEnvVars: method(byId).returns<Record<string, string>>(),
  setEnvVar: method(z.object({ id: fnId, name: envName, value: z.string().max(ENV_VALUE_MAX_CHARS) }).strict()).returns<string[]>(),
  deleteEnvVar: method(z.object({ id: fnId, name: envName }).strict()).returns<string[]>(),
})
