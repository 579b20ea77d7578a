import type { Migration } from '../migration.ts'

export const logJournalsMigration: Migration = {
  version: 7,
  name: 'how far each worker log journal has been indexed',
  sql: `
-- One row per journal file (log-journal.ts), written in the same transaction as the rows read from
-- it, so a restart resumes exactly where the last commit stopped. finished = 1: read whole and
-- committed; the file (if still there) is removed and its row with it.
CREATE TABLE log_journals (
  name             TEXT PRIMARY KEY,
  resume_offset    INTEGER NOT NULL,
  committed_offset INTEGER NOT NULL,
  finished         INTEGER NOT NULL
) WITHOUT ROWID;
`,
}
