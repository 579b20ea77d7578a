import { AppError } from '../../common/errors.ts'

/** Maps constraint failures to the codes callers act on; anything else propagates unchanged. */
export function translateSqliteError(error: unknown, what: string): unknown {
  const code = (error as { code?: unknown }).code
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new AppError('conflict', `${what} already exists (${(error as Error).message.replace(/^UNIQUE constraint failed: /, '')})`)
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return new AppError('validation_failed', `${what} refers to something that does not exist`)
  return error
}
