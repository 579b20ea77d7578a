import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'

export interface Migration {
  version: number
  name: string
  sql: string
}

export function migrationChecksum(migration: Migration): string {
  return createHash('sha256').update(migration.sql).digest('hex')
}

export interface MigrateResult {
  from: number
  to: number
  applied: number[]
}

/**
 * Brings the schema up to the last of `migrations`, in one IMMEDIATE transaction so concurrent
 * openers serialise and nobody sees half a schema. Refuses (without touching anything) when the
 * file was written by a newer binary or when a recorded migration's checksum differs from ours.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[]): MigrateResult {
  checkOrder(migrations)
  const run = db.transaction((): MigrateResult => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
    const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version').all() as {
      version: number
      name: string
      checksum: string
    }[]
    const known = migrations.at(-1)?.version ?? 0
    const newest = applied.at(-1)?.version ?? 0
    if (newest > known) {
      throw new AppError(
        'schema_too_new',
        `This database has schema version ${newest}, but this Edgepad only knows up to ${known}. ` +
          'It was opened by a newer Edgepad; upgrade Edgepad instead of opening it with this version. Nothing was changed.',
      )
    }
    for (const row of applied) {
      const ours = migrations.find((m) => m.version === row.version)
      if (!ours || migrationChecksum(ours) !== row.checksum) {
        throw new AppError(
          'schema_checksum_mismatch',
          `Schema migration ${row.version} ("${row.name}") recorded in this database does not match this Edgepad's migration ` +
            `${ours ? `("${ours.name}")` : '(missing)'}; refusing to open rather than risk corrupting data. Nothing was changed.`,
        )
      }
    }
    const insert = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)')
    const done: number[] = []
    for (const migration of migrations) {
      if (migration.version <= newest) continue
      db.exec(migration.sql)
      insert.run(migration.version, migration.name, migrationChecksum(migration), Date.now())
      done.push(migration.version)
    }
    return { from: newest, to: Math.max(newest, known), applied: done }
  })
  return run.immediate()
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new AppError('internal', `Migration list is not contiguous at index ${i} (version ${m.version})`)
  })
}
