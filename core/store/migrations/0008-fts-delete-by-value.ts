import type { Migration } from '../migration.ts'

/**
 * The console text a row's full-text entry holds: its console messages joined by newlines, the
 * same string `toInvocationRow` computes as `consoleText` (invocation-row.ts).
 */
const consoleText = (row: string) =>
  `CASE WHEN ${row}.console = '[]' THEN '' ELSE coalesce((SELECT group_concat(json_extract(value, '$.message'), char(10) ORDER BY key) FROM json_each(${row}.console)), '') END`

export const ftsDeleteByValueMigration: Migration = {
  version: 8,
  name: 'full-text entries deleted by value instead of by tombstone',
  sql: `
-- With contentless_delete = 1, each deleted row cost FTS5 a tombstone write, ~18 us: most of what
-- retention cost, and under load it trims as many rows as come in. A plain contentless table
-- deletes by being told the row's text again (~2 us), which the trigger below reads back from the
-- row itself. in_fts = 0: the row got no entry (none of its text holds a token); nothing to delete.
ALTER TABLE invocations ADD COLUMN in_fts INTEGER NOT NULL DEFAULT 1;
DROP TRIGGER invocations_fts_delete;
DROP TABLE invocations_fts;
CREATE VIRTUAL TABLE invocations_fts USING fts5 (path, error, console, content = '');
-- Every existing row gets its entry back (in_fts = 1 for all of them).
INSERT INTO invocations_fts (rowid, path, error, console)
  SELECT seq, path, coalesce(error_message, ''), ${consoleText('invocations')} FROM invocations;
CREATE TRIGGER invocations_fts_delete AFTER DELETE ON invocations WHEN old.in_fts BEGIN
  INSERT INTO invocations_fts (invocations_fts, rowid, path, error, console)
  VALUES ('delete', old.seq, old.path, coalesce(old.error_message, ''), ${consoleText('old')});
END;
`,
}
