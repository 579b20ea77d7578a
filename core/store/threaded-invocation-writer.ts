import { Worker } from 'node:worker_threads'
import { AppError, type ErrorCode } from '../../common/errors.ts'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { uuidV7 } from './ids.ts'
import { invalidInvocationReason, type RedactionRules } from './invocation-row.ts'
import { toWire } from './invocation-wire.ts'
import { appendVia, type InvocationWriter, type WriterOptions } from './invocation-writer.ts'
import type { Durability } from './sqlite-database.ts'
import type { CrossedError, FromWriterThread, ToWriterThread, WriterThreadData } from './writer-thread-protocol.ts'

interface InFlight {
  invocation: NewInvocation & { id: string }
  resolve: ((id: string) => void) | null
  reject: ((error: unknown) => void) | null
}

const RESTART_DELAY_MS = 100
/** How long unacknowledged rows wait on this side before they cross, so one message carries many. */
const GATHER_MS = 10

/**
 * The invocation writer of `invocation-writer.ts`, run on a worker thread with its own SQLite
 * connection. Same contract (`enqueue` is not an acknowledgement, `append` resolves after COMMIT,
 * `flush`/`close` commit what was queued before them); the host thread only validates, reads the
 * redaction rules once per turn and posts. Under backpressure (more than `maxQueue` unsettled) the
 * host thread waits for the writer, as the in-thread writer writes synchronously.
 * If the thread dies, a new one takes over everything not yet settled.
 */
export function createThreadedInvocationWriter(
  file: string,
  durability: Durability,
  rulesFor: (functionIds: Iterable<string>) => Map<string, RedactionRules>,
  options: WriterOptions,
): InvocationWriter & { thread(): Worker } {
  const { onError, ...threadOptions } = options
  const settledCount = new Int32Array(new SharedArrayBuffer(4))
  const inFlight = new Map<number, InFlight>()
  const flushes = new Map<number, { resolve(): void; reject(error: unknown): void }>()
  let outbox: number[] = []
  let scheduled = false
  let acknowledged = false
  let nextSeq = 1
  let sentCount = 0
  let closed = false
  let closing: Promise<void> | null = null
  let worker: Worker
  let onClosed: (() => void) | null = null

  const revive = (error: CrossedError): Error => {
    if (error.code && !error.code.startsWith('SQLITE')) return new AppError(error.code as ErrorCode, error.message)
    return Object.assign(new Error(error.message), error.code ? { code: error.code } : {})
  }

  const post = (message: ToWriterThread) => worker.postMessage(message)

  const sendOutbox = () => {
    scheduled = false
    if (outbox.length === 0) return
    const urgent = acknowledged
    const seqs = outbox
    let rules: Map<string, RedactionRules>
    try {
      rules = rulesFor(new Set(seqs.map((seq) => inFlight.get(seq)!.invocation.functionId)))
    } catch (error) {
      // Without the rules nothing can be redacted, and unredacted rows must never be written: retry.
      onError(error)
      if (!scheduled) setTimeout(sendOutbox, 50).unref()
      scheduled = true
      return
    }
    outbox = []
    acknowledged = false
    sentCount += seqs.length
    post({ type: 'rows', seqs, rows: seqs.map((seq) => toWire(inFlight.get(seq)!.invocation)), rules: [...rules], acknowledged: urgent })
  }

  const onMessage = (message: FromWriterThread) => {
    switch (message.type) {
      case 'settled':
        for (const seq of message.ok) {
          const item = inFlight.get(seq)
          inFlight.delete(seq)
          item?.resolve?.(item.invocation.id)
        }
        for (const { seq, error } of message.failed) {
          const item = inFlight.get(seq)
          inFlight.delete(seq)
          if (item?.reject) item.reject(revive(error))
          else onError(revive(error))
        }
        return
      case 'flushed': {
        const waiter = flushes.get(message.seq)
        flushes.delete(message.seq)
        if (message.error) waiter?.reject(revive(message.error))
        else waiter?.resolve()
        return
      }
      case 'error':
        return onError(revive(message.error))
      case 'closed':
        return onClosed?.()
    }
  }

  const start = () => {
    const data: WriterThreadData = { file, durability, options: threadOptions, settled: settledCount }
    worker = new Worker(new URL('./invocation-writer-thread.ts', import.meta.url), { workerData: data })
    worker.unref()
    worker.on('message', onMessage)
    worker.on('error', (error) => onError(error))
    worker.on('exit', (code) => {
      if (closed) return onClosed?.()
      onError(new Error(`The invocation writer thread exited (code ${code}); restarting it with ${inFlight.size} unsettled invocations`))
      setTimeout(() => {
        // Everything unsettled goes to the new thread; a row that was committed just before the
        // crash fails there on its primary key rather than being written twice.
        Atomics.store(settledCount, 0, 0)
        sentCount = 0
        outbox = [...inFlight.keys()]
        start()
        sendOutbox()
        for (const seq of flushes.keys()) post({ type: 'flush', seq })
      }, RESTART_DELAY_MS).unref()
    })
  }
  start()

  const waitForWriter = () => {
    sendOutbox()
    // Like the in-thread writer's synchronous drain: block until everything sent has settled.
    for (let spins = 0; spins < 600; spins++) {
      const settled = Atomics.load(settledCount, 0)
      if (settled >= sentCount) return
      Atomics.wait(settledCount, 0, settled, 100)
    }
  }

  const push = (invocation: NewInvocation, resolve: InFlight['resolve'], reject: InFlight['reject']): string => {
    if (closed) throw new AppError('unavailable', 'The invocation log is closed')
    const reason = invalidInvocationReason(invocation)
    if (reason) throw new AppError('validation_failed', `Invalid invocation: ${reason}`)
    const id = invocation.id ?? uuidV7()
    const seq = nextSeq++
    inFlight.set(seq, { invocation: (invocation.id ? invocation : { ...invocation, id }) as NewInvocation & { id: string }, resolve, reject })
    outbox.push(seq)
    if (inFlight.size >= threadOptions.maxQueue) waitForWriter()
    else if (resolve && !acknowledged) {
      // Someone awaits this commit: cross on the next turn, whatever was gathered so far.
      acknowledged = true
      scheduled = true
      setImmediate(sendOutbox)
    } else if (!scheduled) {
      scheduled = true
      setTimeout(sendOutbox, Math.min(GATHER_MS, threadOptions.flushIntervalMs)).unref()
    }
    return id
  }

  const flushAll = () =>
    new Promise<void>((resolve, reject) => {
      sendOutbox()
      const seq = nextSeq++
      flushes.set(seq, { resolve, reject })
      post({ type: 'flush', seq })
    })

  return {
    append: (invocation) => appendVia(push, invocation),
    enqueue: (invocation) => push(invocation, null, null),
    flush: flushAll,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true
        sendOutbox()
        const timer = setTimeout(() => void worker.terminate(), 30_000).unref()
        onClosed = () => {
          clearTimeout(timer)
          onClosed = null
          void worker.terminate().then(() => resolve())
        }
        post({ type: 'close' })
      })
      return closing
    },
    get queued() {
      return inFlight.size
    },
    thread: () => worker,
  }
}
