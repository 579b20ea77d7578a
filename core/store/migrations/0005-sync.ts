import type { Migration } from '../migration.ts'

export const syncMigration: Migration = {
  version: 5,
  name: 'sync servers, function links and the offline publish queue',
  sql: `
-- Servers the IDE publishes to. The token is sealed with the store's SecretBox.
CREATE TABLE sync_servers (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  url             TEXT NOT NULL UNIQUE,
  token_sealed    BLOB NOT NULL,
  server_version  TEXT,
  user_name       TEXT,
  created_at      INTEGER NOT NULL,
  last_checked_at INTEGER
);

-- Which remote function a local function was published to, and the remote version seen then.
CREATE TABLE sync_links (
  function_id        TEXT NOT NULL REFERENCES functions (id) ON DELETE CASCADE,
  server_id          TEXT NOT NULL REFERENCES sync_servers (id) ON DELETE CASCADE,
  remote_function_id TEXT NOT NULL,
  remote_version     INTEGER,
  synced_hash        TEXT NOT NULL,
  last_synced_at     INTEGER NOT NULL,
  PRIMARY KEY (function_id, server_id)
) WITHOUT ROWID;

-- Publishes waiting for an unreachable server. The payload (code, config, env values to send) is a
-- sealed snapshot taken when the user published, so later local edits do not leak into it.
CREATE TABLE sync_queue (
  id              TEXT PRIMARY KEY,
  function_id     TEXT NOT NULL REFERENCES functions (id) ON DELETE CASCADE,
  server_id       TEXT NOT NULL REFERENCES sync_servers (id) ON DELETE CASCADE,
  state           TEXT NOT NULL CHECK (state IN ('pending', 'delivering', 'delivered', 'failed', 'conflict', 'cancelled', 'superseded')),
  payload_sealed  BLOB NOT NULL,
  payload_hash    TEXT NOT NULL,
  send_env_vars   TEXT NOT NULL,
  on_conflict     TEXT NOT NULL CHECK (on_conflict IN ('overwrite', 'cancel')),
  expected_remote_version INTEGER,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  last_error      TEXT,
  remote_function_id TEXT,
  remote_version  INTEGER,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX sync_queue_state ON sync_queue (state, next_attempt_at);
CREATE INDEX sync_queue_function ON sync_queue (function_id, created_at);
`,
}
