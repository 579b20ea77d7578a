import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { testBox } from './fixtures/temp-store.ts'
import { migrate, migrationChecksum } from './migration.ts'
import { MIGRATIONS } from './migrations/all-migrations.ts'
import { openStore } from './open-store.ts'
import { openDatabase } from './sqlite-database.ts'

let dir: string
let file: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-migrate-'))
  file = path.join(dir, 'edgepad.db')
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

/** Every table, index and trigger, so "upgraded" and "fresh" can be compared exactly. */
function schemaOf(f: string): string[] {
  const db = new Database(f, { readonly: true })
  try {
    return (db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string; sql: string | null }[]).map(
      (r) => `${r.type} ${r.name}: ${(r.sql ?? '').replace(/\s+/g, ' ')}`,
    )
  } finally {
    db.close()
  }
}

function appliedVersions(f: string): number[] {
  const db = new Database(f, { readonly: true })
  try {
    return (db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version)
  } finally {
    db.close()
  }
}

describe('migrations', () => {
  it('migrates an empty file to the latest version and is idempotent', () => {
    const db = openDatabase(file, 'normal')
    expect(migrate(db, MIGRATIONS)).toEqual({ from: 0, to: MIGRATIONS.length, applied: MIGRATIONS.map((m) => m.version) })
    expect(migrate(db, MIGRATIONS).applied).toEqual([])
    db.close()
    expect(appliedVersions(file)).toEqual(MIGRATIONS.map((m) => m.version))
  })

  it('has contiguous versions and distinct checksums', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(new Set(MIGRATIONS.map(migrationChecksum)).size).toBe(MIGRATIONS.length)
  })

  const freshFile = () => {
    const f = path.join(dir, 'fresh.db')
    const db = openDatabase(f, 'normal')
    migrate(db, MIGRATIONS)
    db.close()
    return f
  }

  for (let k = 1; k < MIGRATIONS.length; k++) {
    it(`upgrades a database at version ${k} (with data) to the latest schema`, async () => {
      const db = openDatabase(file, 'normal')
      migrate(db, MIGRATIONS.slice(0, k))
      // Data written by the older schema must survive the upgrade.
      db.prepare(`INSERT INTO functions (id, owner, name, code, runtime, timeout_ms, memory_mb, trigger_type, status, created_at, updated_at)
        VALUES ('f1', 'me', 'old-fn', 'export default () => "hi"', 'JAVASCRIPT', 1000, 128, 'HTTP', 'ACTIVE', 1, 1)`).run()
      db.close()

      const store = await openStore({ file, secretBox: testBox(), onError: () => {} })
      const fn = await store.functions.get('f1')
      expect(fn.name).toBe('old-fn')
      expect(fn.secretHeaders).toEqual([])
      expect(fn.domainId).toBeNull()
      await store.invocations.append(makeInvocation({ functionId: 'f1' }))
      await store.close()

      expect(appliedVersions(file)).toEqual(MIGRATIONS.map((m) => m.version))
      expect(schemaOf(file)).toEqual(schemaOf(freshFile()))
    })
  }

  it('refuses a database written by a newer binary, without changing it', async () => {
    const store = await openStore({ file, secretBox: testBox(), onError: () => {} })
    await store.close()
    const before = schemaOf(file)
    const older = MIGRATIONS.slice(0, MIGRATIONS.length - 1)
    await expect(openStore({ file, secretBox: testBox(), migrations: older })).rejects.toMatchObject({
      code: 'schema_too_new',
      message: expect.stringContaining(`schema version ${MIGRATIONS.length}`),
    })
    const db = new Database(file)
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from the future', 'x', 0)").run()
    db.close()
    await expect(openStore({ file, secretBox: testBox() })).rejects.toMatchObject({ code: 'schema_too_new' })
    expect(schemaOf(file)).toEqual(before)
  })

  it('refuses when a recorded migration was tampered with', async () => {
    const store = await openStore({ file, secretBox: testBox(), onError: () => {} })
    await store.close()
    const edited = MIGRATIONS.map((m) => (m.version === 2 ? { ...m, sql: `${m.sql}\n-- edited after release` } : m))
    await expect(openStore({ file, secretBox: testBox(), migrations: edited })).rejects.toMatchObject({ code: 'schema_checksum_mismatch' })

    const db = new Database(file)
    db.prepare("UPDATE schema_migrations SET checksum = 'deadbeef' WHERE version = 1").run()
    db.close()
    await expect(openStore({ file, secretBox: testBox() })).rejects.toMatchObject({
      code: 'schema_checksum_mismatch',
      message: expect.stringContaining('migration 1'),
    })
  })

  it('rolls back a failing migration as a whole', () => {
    const db = openDatabase(file, 'normal')
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE ok_table (x); SELECT * FROM no_such_table;' }]
    expect(() => migrate(db, broken)).toThrow(/no_such_table/)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('ok_table', 'functions')").get()).toEqual({ n: 0 })
    db.close()
  })
})
