import { isAppError } from '../../common/errors.ts'
import type { Store, SyncQueueRow } from '../store/repos.ts'

export interface DeliveryResult {
  status: 'published' | 'unchanged' | 'conflict'
  remoteFunctionId: string | null
  remoteVersion: number | null
}

export interface PublishQueueOptions {
  store: Store
  /** One attempt; throws AppError 'unavailable' when the server is still unreachable. */
  deliver: (item: SyncQueueRow) => Promise<DeliveryResult>
  onChange: (item: SyncQueueRow) => void
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number
  maxDelayMs?: number
  now?: () => number
  onError?: (error: unknown) => void
}

export interface PublishQueue {
  /** Resumes items a previous process left mid-delivery, then schedules the next attempt. */
  start(): Promise<void>
  /** Re-reads the earliest due time (after an enqueue). */
  poke(): void
  /** Attempts every pending item, or just `id`, now; resolves after the attempts. */
  retryNow(id?: string): Promise<void>
  stop(): Promise<void>
}

/**
 * The offline publish queue's scheduler. Attempts run one at a time, and an item is claimed with a
 * compare-and-set (pending → delivering) so a cancel and a delivery cannot both win. Exactly-once
 * holds across lost responses and crashes because every attempt first reads the remote state and
 * treats its own content already there as delivered (publisher.ts).
 */
export function createPublishQueue(options: PublishQueueOptions): PublishQueue {
  const now = options.now ?? Date.now
  const base = options.baseDelayMs ?? 2000
  const max = options.maxDelayMs ?? 5 * 60_000
  const onError = options.onError ?? ((error: unknown) => console.error('[sync]', error))
  const { sync } = options.store
  let timer: NodeJS.Timeout | null = null
  let chain: Promise<void> = Promise.resolve()
  let stopped = false

  const backoff = (attempts: number) => Math.min(max, base * 2 ** Math.max(0, attempts - 1)) * (0.9 + Math.random() * 0.2)

  async function attempt(item: SyncQueueRow): Promise<void> {
    const claimed = await sync.transition(item.id, ['pending'], { state: 'delivering', attempts: item.attempts + 1, nextAttemptAt: null })
    if (!claimed) return
    options.onChange(claimed)
    let after: SyncQueueRow | null
    try {
      const result = await options.deliver(claimed)
      after =
        result.status === 'conflict'
          ? await sync.transition(item.id, ['delivering'], {
              state: 'conflict',
              lastError: 'The remote function was changed elsewhere since this publish was queued; publish again to choose overwrite or pull.',
            })
          : await sync.transition(item.id, ['delivering'], {
              state: 'delivered',
              lastError: null,
              ...(result.remoteFunctionId ? { remoteFunctionId: result.remoteFunctionId } : {}),
              ...(result.remoteVersion !== null ? { remoteVersion: result.remoteVersion } : {}),
            })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      after =
        isAppError(error) && error.code === 'unavailable'
          ? await sync.transition(item.id, ['delivering'], { state: 'pending', lastError: message, nextAttemptAt: now() + backoff(claimed.attempts) })
          : await sync.transition(item.id, ['delivering'], { state: 'failed', lastError: message })
    }
    if (after) options.onChange(after)
  }

  async function run(only?: { id?: string; force: boolean }): Promise<void> {
    const pending = (await sync.listQueue({ states: ['pending'] })).reverse()
    for (const item of pending) {
      if (stopped) return
      if (only?.id && item.id !== only.id) continue
      if (!only?.force && (item.nextAttemptAt ?? 0) > now()) continue
      await attempt(item).catch(onError)
    }
  }

  function enqueueRun(only?: { id?: string; force: boolean }): Promise<void> {
    chain = chain.then(() => run(only)).catch(onError)
    return chain
  }

  async function schedule(): Promise<void> {
    if (stopped) return
    if (timer) clearTimeout(timer)
    timer = null
    const pending = await sync.listQueue({ states: ['pending'] })
    if (pending.length === 0 || stopped) return
    const due = Math.min(...pending.map((p) => p.nextAttemptAt ?? 0))
    timer = setTimeout(() => {
      timer = null
      void enqueueRun().then(schedule)
    }, Math.max(0, due - now()))
    timer.unref()
  }

  return {
    async start() {
      for (const item of await sync.listQueue({ states: ['delivering'] })) {
        await sync.transition(item.id, ['delivering'], { state: 'pending', nextAttemptAt: now() })
      }
      await schedule()
    },
    poke() {
      void schedule().catch(onError)
    },
    async retryNow(id) {
      await enqueueRun({ force: true, ...(id ? { id } : {}) })
      await schedule()
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await chain
    },
  }
}
