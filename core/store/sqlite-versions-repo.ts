import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import type { VersionConfig, VersionSummary } from '../../common/model/function.ts'
import type { VersionsRepo } from './repos.ts'

export interface VersionRow {
  function_id: string
  number: number
  content_hash: string
  config: string
  note: string
  created_at: number
  code?: string
}

export function versionSummaryFromRow(row: VersionRow): VersionSummary {
  return {
    functionId: row.function_id,
    number: row.number,
    contentHash: row.content_hash,
    config: JSON.parse(row.config) as VersionConfig,
    note: row.note,
    createdAt: row.created_at,
  }
}

export function createSqliteVersionsRepo(db: Database.Database): VersionsRepo {
  const list = db.prepare<[string], VersionRow>(
    'SELECT function_id, number, content_hash, config, note, created_at FROM function_versions WHERE function_id = ? ORDER BY number DESC',
  )
  const get = db.prepare<[string, number], VersionRow>('SELECT * FROM function_versions WHERE function_id = ? AND number = ?')
  return {
    async list(functionId) {
      return list.all(functionId).map(versionSummaryFromRow)
    },
    async get(functionId, number) {
      const row = get.get(functionId, number)
      if (!row) throw new AppError('not_found', `Function ${functionId} has no version ${number}`)
      return { ...versionSummaryFromRow(row), code: row.code! }
    },
  }
}
