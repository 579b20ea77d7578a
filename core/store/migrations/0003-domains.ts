import type { Migration } from '../migration.ts'

export const domainsMigration: Migration = {
  version: 3,
  name: 'custom domains and per-function secret headers',
  sql: `
CREATE TABLE domains (
  id                 TEXT PRIMARY KEY,
  owner              TEXT NOT NULL,
  hostname           TEXT NOT NULL UNIQUE,
  verification_token TEXT NOT NULL,
  verified_at        INTEGER,
  created_at         INTEGER NOT NULL
);
CREATE INDEX domains_owner ON domains (owner);
ALTER TABLE functions ADD COLUMN domain_id TEXT REFERENCES domains (id) ON DELETE SET NULL;
ALTER TABLE functions ADD COLUMN secret_headers TEXT NOT NULL DEFAULT '[]';
`,
}
