import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { uuidV7 } from './ids.ts'
import { createInvocationInserter } from './invocation-inserter.ts'
import { invalidInvocationReason, toInvocationRow, type InvocationRow, type RedactionRules } from './invocation-row.ts'
import { createRollupUpdater } from './rollups.ts'

export interface WriterOptions {
  /** A batch is written as soon as this many invocations are queued. */
  maxBatch: number
  /** …or this long after the first invocation of a batch was queued, whichever comes first. */
  flushIntervalMs: number
  /** Past this many queued, enqueue writes synchronously (backpressure instead of unbounded memory). */
  maxQueue: number
  bodyCapBytes: number
  /** Attempts per batch before its invocations are rejected (e.g. the disk is full). */
  maxAttempts: number
  onError: (error: unknown) => void
}

interface Pending {
  id: string
  invocation: NewInvocation
  attempts: number
  resolve: ((id: string) => void) | null
  reject: ((error: unknown) => void) | null
}

export interface InvocationWriter {
  append(invocation: NewInvocation): Promise<string>
  enqueue(invocation: NewInvocation): string
  flush(): Promise<void>
  close(): Promise<void>
  readonly queued: number
}

/**
 * `append` with callbacks instead of a promise: exactly one of them runs, when `append`'s promise
 * would settle (synchronously inside the batch write, not on a later microtask). The writer
 * thread settles thousands of rows per batch; a promise and a microtask each was measurable.
 */
export type SubmitInvocation = (invocation: NewInvocation, onWritten: (id: string) => void, onFailed: (error: unknown) => void) => void

/**
 * The batched invocation log writer. What is acknowledged when:
 *
 * - `enqueue()` returns the invocation's id immediately. That is NOT an acknowledgement: the row
 *   is only in this process's memory until its batch commits; a crash (SIGKILL, power loss)
 *   before then loses it. Write failures after retries go to `onError`.
 * - `append()` returns a promise that resolves with the id only after the transaction holding
 *   the row has COMMITTED. With durability 'full' (synchronous=FULL, the default) the WAL was
 *   fsynced before COMMIT returned, so the row survives a process crash and a power loss; with
 *   'normal' it survives a process crash. It rejects only when the row was not written.
 * - A batch is one IMMEDIATE transaction: its rows, their full-text entries and the metric
 *   rollups commit together or not at all. Batches form after `maxBatch` rows or
 *   `flushIntervalMs` after the first queued row, whichever is first; the write runs on a
 *   later turn of the event loop, never inside the caller's request handling.
 * - `flush()` and `close()` resolve once everything queued before the call is committed;
 *   `close()` then refuses new rows (AppError 'unavailable').
 */
export function createInvocationWriter(
  db: Database.Database,
  rulesFor: (functionIds: Iterable<string>) => Map<string, RedactionRules>,
  options: WriterOptions,
): InvocationWriter & { submit: SubmitInvocation } {
  const insertRows = createInvocationInserter(db)
  const updateRollups = createRollupUpdater(db)

  let queue: Pending[] = []
  let timer: NodeJS.Timeout | null = null
  let immediate: NodeJS.Immediate | null = null
  let retryTimer: NodeJS.Timeout | null = null
  let closed = false

  const writeRows = db.transaction((rows: InvocationRow[]) => {
    insertRows(rows)
    updateRollups(rows)
  })

  const fail = (item: Pending, error: unknown) => {
    if (item.reject) item.reject(error)
    else options.onError(error)
  }

  /** Puts a failed batch back at the head of the queue, rejecting rows that used up their attempts. */
  const requeue = (items: Pending[], error: unknown): false => {
    const retry = items.filter((item) => ++item.attempts < options.maxAttempts)
    for (const item of items) if (item.attempts >= options.maxAttempts) fail(item, error)
    queue = [...retry, ...queue]
    if (retry.length > 0 && !closed) options.onError(error)
    return false
  }

  /** Writes one batch; false when it failed and was requeued. */
  const writeBatch = (): boolean => {
    const batch = queue.slice(0, options.maxBatch)
    queue = queue.slice(batch.length)
    let rules: Map<string, RedactionRules>
    try {
      rules = rulesFor(new Set(batch.map((p) => p.invocation.functionId)))
    } catch (error) {
      // Without the rules nothing can be redacted, and unredacted rows must never be written.
      return requeue(batch, error)
    }
    const rows: InvocationRow[] = []
    const written: Pending[] = []
    for (const item of batch) {
      try {
        rows.push(toInvocationRow(item.id, item.invocation, rules.get(item.invocation.functionId)!, options.bodyCapBytes))
        written.push(item)
      } catch (error) {
        fail(item, error)
      }
    }
    try {
      writeRows.immediate(rows)
    } catch (error) {
      if (rows.length > 1 && isConstraintError(error)) return writeOneByOne(written, rows)
      return requeue(written, error)
    }
    for (const item of written) item.resolve?.(item.id)
    return true
  }

  /** A constraint failure belongs to one row (e.g. a reused id); write the rest without it. */
  const writeOneByOne = (items: Pending[], rows: InvocationRow[]): boolean => {
    const failed: Pending[] = []
    let lastError: unknown
    items.forEach((item, i) => {
      try {
        writeRows.immediate([rows[i]!])
        item.resolve?.(item.id)
      } catch (error) {
        failed.push(item)
        lastError = error
      }
    })
    return failed.length === 0 || requeue(failed, lastError)
  }

  const drain = () => {
    clearTimers()
    while (queue.length > 0) {
      if (!writeBatch()) {
        if (!closed && queue.length > 0) retryTimer = setTimeout(drain, 50 * 2 ** Math.min(queue[0]!.attempts, 6))
        return
      }
    }
  }

  const clearTimers = () => {
    if (timer) clearTimeout(timer)
    if (immediate) clearImmediate(immediate)
    if (retryTimer) clearTimeout(retryTimer)
    timer = immediate = retryTimer = null
  }

  const push = (invocation: NewInvocation, resolve: Pending['resolve'], reject: Pending['reject']): string => {
    if (closed) throw new AppError('unavailable', 'The invocation log is closed')
    const reason = invalidInvocationReason(invocation)
    if (reason) throw new AppError('validation_failed', `Invalid invocation: ${reason}`)
    const id = invocation.id ?? uuidV7()
    queue.push({ id, invocation, attempts: 0, resolve, reject })
    if (retryTimer) return id
    if (queue.length >= options.maxQueue) drain()
    else if (queue.length >= options.maxBatch) immediate ??= setImmediate(drain)
    else timer ??= setTimeout(drain, options.flushIntervalMs)
    return id
  }

  return {
    append: (invocation) => appendVia(push, invocation),
    enqueue: (invocation) => push(invocation, null, null),
    submit(invocation, onWritten, onFailed) {
      try {
        push(invocation, onWritten, onFailed)
      } catch (error) {
        onFailed(error)
      }
    },
    async flush() {
      drain()
      if (queue.length > 0) throw new AppError('unavailable', `Could not write ${queue.length} queued invocations; will retry`)
    },
    async close() {
      closed = true
      clearTimers()
      while (queue.length > 0) writeBatch()
    },
    get queued() {
      return queue.length
    },
  }
}

type Push = (invocation: NewInvocation, resolve: ((id: string) => void) | null, reject: ((error: unknown) => void) | null) => string

/** `append` on top of a writer's push: its validation errors reject instead of throwing. */
export function appendVia(push: Push, invocation: NewInvocation): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    try {
      push(invocation, resolve, reject)
    } catch (error) {
      reject(error)
    }
  })
}

function isConstraintError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')
}
