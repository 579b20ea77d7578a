import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../common/errors.ts'
import { functionCreateSchema } from '../common/model/function.ts'
import { MEMORY_MB, TIMEOUT_MS } from '../common/model/limits.ts'
import { parseOrThrow } from '../common/validation.ts'
import type { PublishPayload } from '../core/sync/publish-payload.ts'

const f = functionCreateSchema.shape
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)

/** `edgepad.json` beside the code: the function's name and settings, as a repository keeps them. */
export const manifestSchema = z
  .object({
    name: f.name.optional(),
    /** Entry file relative to the directory; default index.ts, index.js or index.mjs. */
    main: z.string().min(1).max(500).optional(),
    description: f.description.unwrap().optional(),
    runtime: f.runtime.unwrap().optional(),
    handler: f.handler.unwrap().optional(),
    timeoutMs: f.timeoutMs.unwrap().optional(),
    memoryMb: f.memoryMb.unwrap().optional(),
    subdomain: f.subdomain.unwrap().optional(),
    path: f.path.unwrap().optional(),
    triggerType: f.triggerType.unwrap().optional(),
    cronSchedule: f.cronSchedule.unwrap().optional(),
    secretHeaders: f.secretHeaders.unwrap().optional(),
    /** Env var names whose values are read from the publishing process's environment and sent. */
    env: z.array(envName).max(200).optional(),
  })
  .strict()

export const isFunctionDir = (arg: string) => fs.existsSync(arg) && fs.statSync(arg).isDirectory()

/**
 * A function kept as files: `<dir>/edgepad.json` (optional) and an entry file. Env values come
 * from `sendEnv` (`NAME` reads the process environment, `NAME=value` is literal) plus the
 * manifest's `env` list.
 */
export function payloadFromDir(dir: string, sendEnv: string[]): PublishPayload {
  const manifestFile = path.join(dir, 'edgepad.json')
  const manifest = fs.existsSync(manifestFile) ? parseOrThrow(manifestSchema, JSON.parse(fs.readFileSync(manifestFile, 'utf8')), manifestFile) : {}
  const entries = manifest.main ? [manifest.main] : ['index.ts', 'index.js', 'index.mjs']
  const entry = entries.map((e) => path.join(dir, e)).find((file) => fs.existsSync(file))
  if (!entry) throw new AppError('validation_failed', `No ${entries.join(' / ')} in ${dir}`)
  const name = manifest.name ?? parseOrThrow(f.name, path.basename(path.resolve(dir)).toLowerCase(), 'function name (from the directory; set "name" in edgepad.json)')
  const envValues: Record<string, string> = {}
  for (const spec of [...(manifest.env ?? []), ...sendEnv]) {
    const eq = spec.indexOf('=')
    const key = eq < 0 ? spec : spec.slice(0, eq)
    parseOrThrow(envName, key, `env var name "${key}"`)
    const value = eq < 0 ? process.env[key] : spec.slice(eq + 1)
    if (value === undefined) throw new AppError('validation_failed', `Env var ${key} is to be sent but is not set in this environment`)
    envValues[key] = value
  }
  return {
    name,
    code: fs.readFileSync(entry, 'utf8'),
    config: {
      description: manifest.description ?? '',
      runtime: manifest.runtime ?? (/\.ts$/.test(entry) ? 'TYPESCRIPT' : 'JAVASCRIPT'),
      handler: manifest.handler ?? 'default',
      timeoutMs: manifest.timeoutMs ?? TIMEOUT_MS.default,
      memoryMb: manifest.memoryMb ?? MEMORY_MB.default,
      subdomain: manifest.subdomain ?? null,
      path: manifest.path ?? null,
      triggerType: manifest.triggerType ?? 'HTTP',
      cronSchedule: manifest.cronSchedule ?? null,
      secretHeaders: manifest.secretHeaders ?? [],
    },
    envVarNames: Object.keys(envValues).sort(),
    envValues,
  }
}
