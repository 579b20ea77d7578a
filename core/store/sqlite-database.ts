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
    switchToWal(db)
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

/**
 * Switching to WAL needs an exclusive lock, and SQLite does not always call the busy handler for it
 * (two processes opening a brand-new file at once get SQLITE_BUSY at once): retry for up to 10 s.
 */
function switchToWal(db: Database.Database): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  for (let attempt = 0; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL')
      return
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 200) throw error
      Atomics.wait(pause, 0, 0, 50)
    }
  }
}
