import type { Migration } from '../migration.ts'

export const functionsMigration: Migration = {
  version: 1,
  name: 'functions, versions and sealed env vars',
  sql: `
CREATE TABLE functions (
  id             TEXT PRIMARY KEY,
  owner          TEXT NOT NULL,
  name           TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  code           TEXT NOT NULL,
  handler        TEXT NOT NULL DEFAULT 'default',
  runtime        TEXT NOT NULL CHECK (runtime IN ('JAVASCRIPT', 'TYPESCRIPT')),
  timeout_ms     INTEGER NOT NULL,
  memory_mb      INTEGER NOT NULL,
  subdomain      TEXT,
  path           TEXT,
  trigger_type   TEXT NOT NULL CHECK (trigger_type IN ('HTTP', 'CRON')),
  cron_schedule  TEXT,
  status         TEXT NOT NULL CHECK (status IN ('ACTIVE', 'DISABLED', 'ERROR')),
  active_version INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  UNIQUE (owner, name)
);
CREATE UNIQUE INDEX functions_subdomain ON functions (subdomain) WHERE subdomain IS NOT NULL;

-- One row per variable, each value sealed by the SecretBox; names stay readable for list calls.
CREATE TABLE function_env_vars (
  function_id TEXT NOT NULL REFERENCES functions (id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  sealed      BLOB NOT NULL,
  PRIMARY KEY (function_id, name)
) WITHOUT ROWID;

CREATE TABLE function_versions (
  function_id  TEXT NOT NULL REFERENCES functions (id) ON DELETE CASCADE,
  number       INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  code         TEXT NOT NULL,
  config       TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (function_id, number)
);
CREATE TRIGGER function_versions_immutable BEFORE UPDATE ON function_versions
BEGIN SELECT RAISE(ABORT, 'function versions are immutable'); END;
`,
}
