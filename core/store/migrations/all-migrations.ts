import type { Migration } from '../migration.ts'
import { functionsMigration } from './0001-functions.ts'
import { invocationsMigration } from './0002-invocations.ts'
import { domainsMigration } from './0003-domains.ts'
import { usersMigration } from './0004-users-and-http-settings.ts'
import { syncMigration } from './0005-sync.ts'
import { linkUrlsMigration } from './0006-link-urls.ts'
import { logJournalsMigration } from './0007-log-journals.ts'
import { ftsDeleteByValueMigration } from './0008-fts-delete-by-value.ts'

/**
 * Append-only. Never edit a shipped migration: its checksum is recorded in every database it ran
 * on, and a changed checksum refuses to open. Fix forward with a new version instead.
 */
export const MIGRATIONS: readonly Migration[] = [functionsMigration, invocationsMigration, domainsMigration, usersMigration, syncMigration, linkUrlsMigration, logJournalsMigration, ftsDeleteByValueMigration]
