import type { IndexGateOptions } from './index-gate.ts'
import type { RedactionRules } from './invocation-row.ts'
import type { Durability } from './sqlite-database.ts'

/**
 * What the indexer is started with (its first argument, as JSON). Which journals to read comes as
 * `open` and `gone` messages instead: a list of files has no bound, an argument has (128 KiB).
 */
export interface IndexerStart {
  dbFile: string
  durability: Durability
  /** The journals' folder. */
  dir: string
  bodyCapBytes: number
  /** Rows per transaction: small, as a low-priority process may hold SQLite's write lock while it waits for a core. */
  maxRows: number
  pollMs: number
  /** How long a backlog may wait for a free core while the machine is busy serving (index-gate.ts). */
  gate: IndexGateOptions
  /** Log retention passes, run here at idle priority instead of on the host's thread. */
  retention?: { maxAgeMs?: number; maxRowsPerFunction?: number; intervalMs: number }
}

/** Host → indexer. */
export type ToIndexer =
  /** A worker started writing this journal (the first of its series), or one the indexer is to read anyway (followed by `gone` when its writer is gone). */
  | { type: 'open'; name: string }
  /** That worker is gone: its series ends with the file it was writing. */
  | { type: 'gone'; name: string }
  | { type: 'rules'; id: number; rules: [string, RedactionRules][] }
  | { type: 'rules'; id: number; error: string }
  /** Answered once everything written to any journal before it is committed. */
  | { type: 'flush'; seq: number }
  | { type: 'close' }

/** Indexer → host. */
export type FromIndexer =
  /** Redaction rules are read on the host (the indexer holds no keys). */
  | { type: 'rules'; id: number; functionIds: string[] }
  /** Every row before `offset` of this journal is committed. */
  | { type: 'indexed'; name: string; offset: number }
  | { type: 'flushed'; seq: number }
  | { type: 'error'; message: string }
  | { type: 'closed' }
