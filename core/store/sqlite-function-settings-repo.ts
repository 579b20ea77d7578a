import type Database from 'better-sqlite3'
import { DEFAULT_HTTP_SETTINGS, rateLimitSchema, type FunctionHttpSettings } from '../../common/model/http-settings.ts'
import { parseOrThrow } from '../../common/validation.ts'
import type { FunctionSettingsRepo } from './repos.ts'
import { translateSqliteError } from './sqlite-errors.ts'

interface SettingsRow {
  rate_limit: string | null
  debug_responses: number
}

export function createSqliteFunctionSettingsRepo(db: Database.Database): FunctionSettingsRepo {
  const select = db.prepare<[string], SettingsRow>('SELECT rate_limit, debug_responses FROM function_http_settings WHERE function_id = ?')
  const upsert = db.prepare(
    `INSERT INTO function_http_settings (function_id, rate_limit, debug_responses) VALUES (?, ?, ?)
     ON CONFLICT (function_id) DO UPDATE SET rate_limit = excluded.rate_limit, debug_responses = excluded.debug_responses`,
  )
  return {
    async get(functionId) {
      const row = select.get(functionId)
      if (!row) return DEFAULT_HTTP_SETTINGS
      return {
        rateLimit: row.rate_limit === null ? null : parseOrThrow(rateLimitSchema, JSON.parse(row.rate_limit), 'stored rate limit'),
        debugResponses: row.debug_responses === 1,
      }
    },
    async set(functionId, settings: FunctionHttpSettings) {
      const rateLimit = settings.rateLimit === null ? null : JSON.stringify(parseOrThrow(rateLimitSchema, settings.rateLimit, 'rate limit'))
      try {
        upsert.run(functionId, rateLimit, settings.debugResponses ? 1 : 0)
      } catch (error) {
        throw translateSqliteError(error, `Settings of function ${functionId}`)
      }
    },
  }
}
