import type { RedactionRules } from './invocation-row.ts'
import type { WireInvocation } from './invocation-wire.ts'
import type { Durability } from './sqlite-database.ts'
import type { WriterOptions } from './invocation-writer.ts'

export interface WriterThreadData {
  file: string
  durability: Durability
  options: Omit<WriterOptions, 'onError'>
  /** [0]: invocations settled (committed or given up on), so the host can wait under backpressure. */
  settled: Int32Array
}

/** Host → thread. Rules travel with each batch: the host reads them fresh, so the thread needs no keys. */
export type ToWriterThread =
  /** `acknowledged`: some caller awaits a commit, so the batch is written now rather than at the flush interval. */
  /** `seqs[i]` names `rows[i]` in settlements (parallel arrays: no wrapper object per row). */
  | { type: 'rows'; seqs: number[]; rows: WireInvocation[]; rules: [string, RedactionRules][]; acknowledged: boolean }
  | { type: 'flush'; seq: number }
  | { type: 'close' }

export interface CrossedError {
  message: string
  code?: string
}

/** Thread → host. */
export type FromWriterThread =
  | { type: 'settled'; ok: number[]; failed: { seq: number; error: CrossedError }[] }
  | { type: 'flushed'; seq: number; error?: CrossedError }
  | { type: 'error'; error: CrossedError }
  | { type: 'closed' }
