import type { Migration } from '../migration.ts'

export const linkUrlsMigration: Migration = {
  version: 6,
  name: 'public URLs remembered on sync links',
  sql: `
-- The URLs a function answers at, as the server reported them at the last publish (JSON array), so
-- the IDE shows routed domains and subdomains without asking the server. NULL until then.
ALTER TABLE sync_links ADD COLUMN public_urls TEXT;
`,
}
