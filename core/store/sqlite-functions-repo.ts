import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import {
  functionCreateSchema,
  functionUpdateSchema,
  type FunctionCreate,
  type FunctionRecord,
  type SaveResult,
  type VersionConfig,
} from '../../common/model/function.ts'
import { parseOrThrow } from '../../common/validation.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import { contentHash } from './content-hash.ts'
import { envContext } from './env-context.ts'
import type { FunctionsRepo } from './repos.ts'
import { translateSqliteError } from './sqlite-errors.ts'
import { versionSummaryFromRow, type VersionRow } from './sqlite-versions-repo.ts'

interface FunctionRow {
  id: string
  owner: string
  name: string
  description: string
  code: string
  handler: string
  runtime: FunctionRecord['runtime']
  timeout_ms: number
  memory_mb: number
  subdomain: string | null
  path: string | null
  domain_id: string | null
  trigger_type: FunctionRecord['triggerType']
  cron_schedule: string | null
  status: FunctionRecord['status']
  secret_headers: string
  active_version: number | null
  created_at: number
  updated_at: number
}

type Fields = Omit<FunctionCreate, 'note' | 'envVars'>

export function createSqliteFunctionsRepo(db: Database.Database, box: SecretBox, now: () => number): FunctionsRepo {
  const selectById = db.prepare<[string], FunctionRow>('SELECT * FROM functions WHERE id = ?')
  const selectEnvNames = db.prepare<[string], { name: string }>('SELECT name FROM function_env_vars WHERE function_id = ? ORDER BY name')
  const selectEnv = db.prepare<[string], { name: string; sealed: Buffer }>('SELECT name, sealed FROM function_env_vars WHERE function_id = ?')
  const upsertEnv = db.prepare(
    'INSERT INTO function_env_vars (function_id, name, sealed) VALUES (?, ?, ?) ON CONFLICT (function_id, name) DO UPDATE SET sealed = excluded.sealed',
  )
  const latestVersion = db.prepare<[string], VersionRow>(
    'SELECT function_id, number, content_hash, config, note, created_at FROM function_versions WHERE function_id = ? ORDER BY number DESC LIMIT 1',
  )
  const insertVersion = db.prepare(
    'INSERT INTO function_versions (function_id, number, content_hash, code, config, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  )
  const setActive = db.prepare('UPDATE functions SET active_version = ? WHERE id = ?')
  const writeRow = db.prepare(`INSERT INTO functions (id, owner, name, description, code, handler, runtime, timeout_ms, memory_mb,
      subdomain, path, domain_id, trigger_type, cron_schedule, status, secret_headers, active_version, created_at, updated_at)
    VALUES (@id, @owner, @name, @description, @code, @handler, @runtime, @timeoutMs, @memoryMb, @subdomain, @path, @domainId,
      @triggerType, @cronSchedule, @status, @secretHeaders, @activeVersion, @createdAt, @updatedAt)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description, code = excluded.code,
      handler = excluded.handler, runtime = excluded.runtime, timeout_ms = excluded.timeout_ms, memory_mb = excluded.memory_mb,
      subdomain = excluded.subdomain, path = excluded.path, domain_id = excluded.domain_id, trigger_type = excluded.trigger_type,
      cron_schedule = excluded.cron_schedule, status = excluded.status, secret_headers = excluded.secret_headers,
      updated_at = excluded.updated_at`)

  const toRecord = (row: FunctionRow): FunctionRecord => ({
    id: row.id,
    owner: row.owner,
    name: row.name,
    description: row.description,
    code: row.code,
    handler: row.handler,
    runtime: row.runtime,
    envVarNames: selectEnvNames.all(row.id).map((r) => r.name),
    timeoutMs: row.timeout_ms,
    memoryMb: row.memory_mb,
    subdomain: row.subdomain,
    path: row.path,
    domainId: row.domain_id,
    triggerType: row.trigger_type,
    cronSchedule: row.cron_schedule,
    status: row.status,
    secretHeaders: JSON.parse(row.secret_headers) as string[],
    activeVersion: row.active_version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  })

  const mustGet = (id: string): FunctionRow => {
    const row = selectById.get(id)
    if (!row) throw new AppError('not_found', `Function ${id} not found`)
    return row
  }

  /** The fields that make up a version; a patch with none of them is a metadata change. */
  const CONTENT_FIELDS = ['code', 'runtime', 'handler', 'timeoutMs', 'memoryMb'] as const

  const replaceEnv = (id: string, vars: Record<string, string>) => {
    db.prepare('DELETE FROM function_env_vars WHERE function_id = ?').run(id)
    for (const [name, value] of Object.entries(vars)) upsertEnv.run(id, name, box.encrypt(Buffer.from(value, 'utf8'), envContext(id, name)))
  }

  /** Writes the row, and a version when the content hash differs from the latest one. */
  const save = (id: string, fields: Fields, note: string, createdAt: number, previous: FunctionRow | undefined, keepActive = false): SaveResult => {
    if (fields.triggerType === 'CRON' && !fields.cronSchedule) throw new AppError('validation_failed', 'A CRON function needs a cronSchedule')
    const config: VersionConfig = { runtime: fields.runtime, handler: fields.handler, timeoutMs: fields.timeoutMs, memoryMb: fields.memoryMb }
    const hash = contentHash(fields.code, config)
    const latest = latestVersion.get(id)
    const at = now()
    writeFunction(id, fields, previous?.active_version ?? null, createdAt, at)
    let activeVersion: number
    let versionCreated = false
    if (!latest || latest.content_hash !== hash) {
      activeVersion = (latest?.number ?? 0) + 1
      insertVersion.run(id, activeVersion, hash, fields.code, JSON.stringify(config), note, at)
      versionCreated = true
    } else if (keepActive && previous?.active_version) {
      // A patch that touches neither code nor runtime config (description, route, status, env) keeps a rollback in place.
      activeVersion = previous.active_version
    } else {
      // Saving what the latest version already holds serves that version again (e.g. after a rollback).
      activeVersion = latest.number
    }
    setActive.run(activeVersion, id)
    const version = versionSummaryFromRow(latestVersion.get(id)!)
    return { function: toRecord(mustGet(id)), version, versionCreated }
  }

  const writeFunction = (id: string, f: Fields, activeVersion: number | null, createdAt: number, updatedAt: number) => {
    writeRow.run({
      id,
      owner: f.owner,
      name: f.name,
      description: f.description,
      code: f.code,
      handler: f.handler,
      runtime: f.runtime,
      timeoutMs: f.timeoutMs,
      memoryMb: f.memoryMb,
      subdomain: f.subdomain,
      path: f.path,
      domainId: f.domainId,
      triggerType: f.triggerType,
      cronSchedule: f.cronSchedule,
      status: f.status,
      secretHeaders: JSON.stringify([...new Set(f.secretHeaders)]),
      activeVersion,
      createdAt,
      updatedAt,
    })
  }

  const guarded = <T>(what: string, fn: () => T): T => {
    try {
      return fn()
    } catch (error) {
      throw translateSqliteError(error, what)
    }
  }

  return {
    async create(input) {
      const { note, envVars, id: chosenId, ...fields } = parseOrThrow(functionCreateSchema, input, 'function')
      const id = chosenId ?? randomUUID()
      return guarded(`Function "${fields.name}"`, () =>
        db
          .transaction(() => {
            const result = save(id, fields, note, now(), undefined)
            replaceEnv(id, envVars)
            return { ...result, function: toRecord(mustGet(id)) }
          })
          .immediate(),
      )
    },
    async update(id, patch) {
      const { note = '', envVars, ...changes } = parseOrThrow(functionUpdateSchema, patch, 'function update')
      return guarded(`Function "${changes.name ?? id}"`, () =>
        db
          .transaction(() => {
            const row = mustGet(id)
            const current = toRecord(row)
            const fields: Fields = { ...current, ...definedOnly(changes), owner: row.owner }
            if (envVars) replaceEnv(id, envVars)
            const touchesContent = CONTENT_FIELDS.some((field) => changes[field] !== undefined)
            return save(id, fields, note, row.created_at, row, !touchesContent)
          })
          .immediate(),
      )
    },
    async get(id) {
      return toRecord(mustGet(id))
    },
    async findByName(owner, name) {
      const row = db.prepare<[string, string], FunctionRow>('SELECT * FROM functions WHERE owner = ? AND name = ?').get(owner, name)
      return row ? toRecord(row) : null
    },
    async findBySubdomain(subdomain) {
      const row = db.prepare<[string], FunctionRow>('SELECT * FROM functions WHERE subdomain = ?').get(subdomain)
      return row ? toRecord(row) : null
    },
    async list(owner) {
      const rows = db.prepare<[string], FunctionRow>('SELECT * FROM functions WHERE owner = ? ORDER BY name').all(owner)
      return rows.map((row) => {
        const { code: _code, ...summary } = toRecord(row)
        return summary
      })
    },
    async activateVersion(id, version) {
      mustGet(id)
      const exists = db.prepare('SELECT 1 FROM function_versions WHERE function_id = ? AND number = ?').get(id, version)
      if (!exists) throw new AppError('not_found', `Function ${id} has no version ${version}`)
      db.prepare('UPDATE functions SET active_version = ?, updated_at = ? WHERE id = ?').run(version, now(), id)
      return toRecord(mustGet(id))
    },
    async delete(id) {
      db.transaction(() => {
        mustGet(id)
        db.prepare('DELETE FROM invocations WHERE function_id = ?').run(id)
        db.prepare('DELETE FROM invocation_rollups WHERE function_id = ?').run(id)
        db.prepare('DELETE FROM functions WHERE id = ?').run(id)
      }).immediate()
    },
    async listEnvVarNames(id) {
      mustGet(id)
      return selectEnvNames.all(id).map((r) => r.name)
    },
    async revealEnvVars(id) {
      mustGet(id)
      const out: Record<string, string> = {}
      for (const { name, sealed } of selectEnv.all(id)) out[name] = Buffer.from(box.decrypt(sealed, envContext(id, name))).toString('utf8')
      return out
    },
    async setEnvVar(id, name, value) {
      const parsed = parseOrThrow(functionUpdateSchema.shape.envVars.unwrap(), { [name]: value }, 'env var')
      mustGet(id)
      upsertEnv.run(id, name, box.encrypt(Buffer.from(parsed[name]!, 'utf8'), envContext(id, name)))
      db.prepare('UPDATE functions SET updated_at = ? WHERE id = ?').run(now(), id)
    },
    async deleteEnvVar(id, name) {
      mustGet(id)
      const { changes } = db.prepare('DELETE FROM function_env_vars WHERE function_id = ? AND name = ?').run(id, name)
      if (changes === 0) throw new AppError('not_found', `Function ${id} has no env var ${name}`)
    },
    async resealEnvVars() {
      const rows = db.prepare<[], { function_id: string; name: string; sealed: Buffer }>('SELECT function_id, name, sealed FROM function_env_vars').all()
      let count = 0
      db.transaction(() => {
        for (const row of rows) {
          if (box.keyIdOf(row.sealed) === box.currentKeyId) continue
          const context = envContext(row.function_id, row.name)
          upsertEnv.run(row.function_id, row.name, box.encrypt(box.decrypt(row.sealed, context), context))
          count++
        }
      }).immediate()
      return count
    },
  }
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
