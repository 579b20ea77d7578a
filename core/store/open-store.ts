import type { SecretBox } from '../secrets/secret-box.ts'
import type { IndexGateOptions } from './index-gate.ts'
import { createInvocationWriter, type WriterOptions } from './invocation-writer.ts'
import { createLogJournals } from './log-journal-indexer.ts'
import { createThreadedInvocationWriter } from './threaded-invocation-writer.ts'
import { migrate, type Migration } from './migration.ts'
import { MIGRATIONS } from './migrations/all-migrations.ts'
import { createRedactionRulesLookup } from './redaction-rules.ts'
import type { Store } from './repos.ts'
import { createRetention, type RetentionPolicy } from './retention.ts'
import { openDatabase, type Durability } from './sqlite-database.ts'
import { createSqliteDomainsRepo } from './sqlite-domains-repo.ts'
import { createSqliteFunctionSettingsRepo } from './sqlite-function-settings-repo.ts'
import { createSqliteFunctionsRepo } from './sqlite-functions-repo.ts'
import { createSqliteInvocationsRepo } from './sqlite-invocations-repo.ts'
import { createSqliteMetricsRepo } from './sqlite-metrics-repo.ts'
import { createSqliteSyncRepo } from './sqlite-sync-repo.ts'
import { createSqliteTokensRepo, createSqliteUsersRepo } from './sqlite-users-repo.ts'
import { createSqliteVersionsRepo } from './sqlite-versions-repo.ts'

export interface OpenStoreOptions {
  /** SQLite file; created (with its folder) when missing. */
  file: string
  secretBox: SecretBox
  /** Default 'full': an acknowledged invocation survives power loss, not only a crash. */
  durability?: Durability
  writer?: Partial<Omit<WriterOptions, 'onError'>>
  /**
   * Write the invocation log from a worker thread with its own connection (the server: redaction,
   * inserts and fsync then never hold the thread serving requests). Needs a file, not ':memory:'.
   */
  writerThread?: boolean
  /**
   * The folder of the runtime workers' log journals (the server's worker fronts write their
   * invocations there and an idle-priority process indexes them; see log-journal.ts). Needs a file.
   */
  journalDir?: string
  /** How long the journals' backlog may wait for a free core (index-gate.ts; default DEFAULT_INDEX_GATE). */
  journalGate?: IndexGateOptions
  /** Background retention; off when absent. */
  retention?: RetentionPolicy & { intervalMs?: number }
  /** Header names redacted for every function, on top of the built-in list. */
  secretHeaders?: readonly string[]
  /** Background failures (a batch that will be retried, a retention pass). Default: console.error. */
  onError?: (error: unknown) => void
  now?: () => number
  /** Rows a filtered log page may examine before it returns (possibly short) with a cursor. Default 20,000. */
  logScanBudget?: number
  /** Tests only: run a prefix of the migration list. */
  migrations?: readonly Migration[]
}

export const DEFAULT_WRITER: Omit<WriterOptions, 'onError'> = {
  maxBatch: 2000,
  flushIntervalMs: 5,
  maxQueue: 50_000,
  bodyCapBytes: 64 * 1024,
  maxAttempts: 5,
}

/**
 * The composition roots' one entry point: opens (and migrates) the database and wires the
 * SQLite repositories. Refuses with 'schema_too_new' or 'schema_checksum_mismatch' before
 * touching data written by a different binary.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const now = options.now ?? Date.now
  const onError = options.onError ?? ((error: unknown) => console.error('[store]', error))
  const db = openDatabase(options.file, options.durability ?? 'full')
  try {
    migrate(db, options.migrations ?? MIGRATIONS)
  } catch (error) {
    db.close()
    throw error
  }
  const rulesFor = createRedactionRulesLookup(db, options.secretBox, options.secretHeaders ?? [])
  const writerOptions = { ...DEFAULT_WRITER, ...options.writer, onError }
  const writer = options.writerThread
    ? createThreadedInvocationWriter(options.file, options.durability ?? 'full', rulesFor, writerOptions)
    : createInvocationWriter(db, rulesFor, writerOptions)
  const retains = options.retention && (options.retention.maxAgeMs !== undefined || options.retention.maxRowsPerFunction !== undefined)
  const retention = retains ? { ...options.retention, intervalMs: options.retention!.intervalMs ?? 60_000 } : undefined
  // With journals, the background passes run in the idle-priority indexer: deleting a busy
  // function's overflow (hundreds of thousands of rows) must not hold this thread or the cores.
  const journals = options.journalDir
    ? createLogJournals({ dir: options.journalDir, dbFile: options.file, durability: options.durability ?? 'full', bodyCapBytes: writerOptions.bodyCapBytes, rulesFor, onError, retention, ...(options.journalGate ? { gate: options.journalGate } : {}) })
    : null
  const enforceRetention = createRetention(db, options.retention ?? {}, now)
  let retentionTimer: NodeJS.Timeout | null = null
  let retentionRun: Promise<unknown> = Promise.resolve()
  if (retention && !journals) {
    retentionTimer = setInterval(() => {
      retentionRun = enforceRetention().catch(onError)
    }, retention.intervalMs)
    retentionTimer.unref()
  }
  let closed: Promise<void> | null = null
  return {
    functions: createSqliteFunctionsRepo(db, options.secretBox, now),
    versions: createSqliteVersionsRepo(db),
    invocations: createSqliteInvocationsRepo(db, writer, enforceRetention, options.logScanBudget ?? 20_000),
    metrics: createSqliteMetricsRepo(db),
    domains: createSqliteDomainsRepo(db, now),
    users: createSqliteUsersRepo(db, now),
    tokens: createSqliteTokensRepo(db, now),
    functionSettings: createSqliteFunctionSettingsRepo(db),
    sync: createSqliteSyncRepo(db, options.secretBox, now),
    journals,
    close() {
      closed ??= (async () => {
        if (retentionTimer) clearInterval(retentionTimer)
        await retentionRun
        await journals?.close()
        await writer.close()
        db.close()
      })()
      return closed
    },
  }
}
