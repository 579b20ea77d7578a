/**
 * Entry of the invocation writer's thread: the batched writer (same batching, retries and
 * acknowledgement rules) on its own connection, so redaction, inserts, rollups and fsync never
 * hold the thread that serves requests.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { RedactionRules } from './invocation-row.ts'
import { createInvocationWriter } from './invocation-writer.ts'
import { fromWire } from './invocation-wire.ts'
import { openDatabase } from './sqlite-database.ts'
import type { CrossedError, FromWriterThread, ToWriterThread, WriterThreadData } from './writer-thread-protocol.ts'

const data = workerData as WriterThreadData
const port = parentPort!
const post = (message: FromWriterThread) => port.postMessage(message)
const cross = (error: unknown): CrossedError => {
  const code = (error as { code?: unknown }).code
  return { message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) }
}

const db = openDatabase(data.file, data.durability)
const rules = new Map<string, RedactionRules>()
const writer = createInvocationWriter(db, (ids) => new Map([...ids].map((id) => [id, rules.get(id)!])), {
  ...data.options,
  onError: (error) => post({ type: 'error', error: cross(error) }),
})

// Settlements of one turn go back as one message.
let ok: number[] = []
let failed: { seq: number; error: CrossedError }[] = []
const settle = () => {
  if (ok.length + failed.length === 0) return
  Atomics.add(data.settled, 0, ok.length + failed.length)
  Atomics.notify(data.settled, 0)
  post({ type: 'settled', ok, failed })
  ok = []
  failed = []
}
const written = (seq: number) => {
  if (ok.length + failed.length === 0) setImmediate(settle)
  ok.push(seq)
}
const gaveUp = (seq: number, error: unknown) => {
  if (ok.length + failed.length === 0) setImmediate(settle)
  failed.push({ seq, error: cross(error) })
}

port.on('message', (message: ToWriterThread) => {
  switch (message.type) {
    case 'rows':
      for (const [id, r] of message.rules) rules.set(id, r)
      for (let i = 0; i < message.seqs.length; i++) {
        const seq = message.seqs[i]!
        writer.submit(fromWire(message.rows[i]!), () => written(seq), (error) => gaveUp(seq, error))
      }
      // A failed write stays queued for the writer's own retry; its error already went to onError.
      if (message.acknowledged) setImmediate(() => void writer.flush().catch(() => undefined))
      return
    case 'flush':
      // Settlements go first: when the host hears "flushed", it must already know what was written.
      writer.flush().then(
        () => {
          settle()
          post({ type: 'flushed', seq: message.seq })
        },
        (error: unknown) => {
          settle()
          post({ type: 'flushed', seq: message.seq, error: cross(error) })
        },
      )
      return
    case 'close':
      void writer.close().finally(() => {
        settle()
        db.close()
        post({ type: 'closed' })
      })
  }
})
