import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

/**
 * `full`: every acknowledged commit is fsynced (survives power loss). `normal`: commits survive
 * a process crash but the last few may be lost on power loss/OS crash (WAL synchronous=NORMAL).
 */
export type Durability = 'full' | 'normal'

export function openDatabase(file: string, durability: Durability): Database.Database {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true })
  const db = new Database(file)
  try {
    // Another process may hold the write lock (a second server instance, a migration); wait for it.
    db.pragma('busy_timeout = 10000')
    db.pragma('journal_mode = WAL')
    db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
    db.pragma('foreign_keys = ON')
    // Checkpoint every ~64 MB of WAL rather than 4 MB: hot index pages are copied back once, not on every few batches.
    db.pragma('wal_autocheckpoint = 16384')
    db.pragma('journal_size_limit = 67108864')
    db.pragma('cache_size = -32000')
    db.pragma('temp_store = MEMORY')
  } catch (error) {
    db.close()
    throw error
  }
  return db
}
