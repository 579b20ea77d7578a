/**
 * Coalesces the IPC messages of one event-loop turn into one `batch` message. Under load many
 * requests are parsed in the same poll phase; one channel write and one parse on the other side
 * for all of them costs far less than one per call. A lone message travels as itself.
 */
export interface Batch<T> {
  type: 'batch'
  messages: T[]
}

export function createMessageBatcher<T>(send: (message: T | Batch<T>) => void): (message: T) => void {
  let outbox: T[] = []
  const flush = () => {
    const messages = outbox
    outbox = []
    send(messages.length === 1 ? messages[0]! : { type: 'batch', messages })
  }
  return (message) => {
    if (outbox.push(message) === 1) setImmediate(flush)
  }
}

/** Calls `handle` for each message of a batch, or for the message itself. */
export function unbatch<T>(message: T | Batch<T>, handle: (message: T) => void): void {
  if ((message as Batch<T>).type === 'batch') for (const m of (message as Batch<T>).messages) handle(m)
  else handle(message as T)
}
