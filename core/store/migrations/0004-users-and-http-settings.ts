import type { Migration } from '../migration.ts'

export const usersMigration: Migration = {
  version: 4,
  name: 'users, hashed API tokens and per-function HTTP settings',
  sql: `
CREATE TABLE users (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'user')),
  created_at INTEGER NOT NULL
);

-- Only a SHA-256 of each token is kept; the plaintext is shown once when it is issued.
CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- How the server exposes a function (rate limit, debug responses): not part of a version.
CREATE TABLE function_http_settings (
  function_id     TEXT PRIMARY KEY REFERENCES functions (id) ON DELETE CASCADE,
  rate_limit      TEXT,
  debug_responses INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
`,
}
