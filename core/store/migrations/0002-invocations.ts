import type { Migration } from '../migration.ts'

export const invocationsMigration: Migration = {
  version: 2,
  name: 'invocation log, full-text index and per-minute rollups',
  sql: `
-- No foreign key to functions: one unknown function id must never fail a whole batch.
CREATE TABLE invocations (
  seq                    INTEGER PRIMARY KEY,
  id                     TEXT NOT NULL UNIQUE,
  function_id            TEXT NOT NULL,
  version                INTEGER NOT NULL,
  trigger                TEXT NOT NULL,
  method                 TEXT NOT NULL,
  path                   TEXT NOT NULL,
  query                  TEXT NOT NULL,
  request_headers        TEXT NOT NULL,
  request_body           BLOB, -- TEXT when UTF-8, BLOB otherwise
  request_body_truncated INTEGER NOT NULL,
  request_body_size      INTEGER NOT NULL,
  status                 INTEGER NOT NULL,
  response_headers       TEXT NOT NULL,
  response_body          BLOB,
  response_body_truncated INTEGER NOT NULL,
  response_body_size     INTEGER NOT NULL,
  outcome                TEXT NOT NULL,
  error_message          TEXT,
  error_stack            TEXT,
  console                TEXT NOT NULL,
  wall_ms                REAL NOT NULL,
  cpu_ms                 REAL NOT NULL,
  peak_memory_bytes      INTEGER NOT NULL,
  cold_start             INTEGER NOT NULL,
  started_at             INTEGER NOT NULL
);
-- Serves log pages (newest first, keyset on started_at, seq) and the raw edges of metrics windows.
CREATE INDEX invocations_function_time ON invocations (function_id, started_at);

-- Contentless: the text lives in invocations already; rowid = invocations.seq.
CREATE VIRTUAL TABLE invocations_fts USING fts5 (path, error, console, content = '', contentless_delete = 1);
CREATE TRIGGER invocations_fts_delete AFTER DELETE ON invocations
BEGIN DELETE FROM invocations_fts WHERE rowid = old.seq; END;

-- Maintained in the same transaction as the rows; histograms are sparse (bucket u16, count u32) blobs.
CREATE TABLE invocation_rollups (
  function_id TEXT NOT NULL,
  minute      INTEGER NOT NULL,
  version     INTEGER NOT NULL,
  count       INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  wall_hist   BLOB NOT NULL,
  cpu_hist    BLOB NOT NULL,
  memory_hist BLOB NOT NULL,
  status_mix  TEXT NOT NULL,
  outcome_mix TEXT NOT NULL,
  PRIMARY KEY (function_id, minute, version)
) WITHOUT ROWID;
`,
}
