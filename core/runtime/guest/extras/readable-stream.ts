// WHATWG `ReadableStream` with its default reader and controller: queue, backpressure through
// `pull`, cancel, tee, pipeTo/pipeThrough, async iteration and `ReadableStream.from`. Byte streams
// (`type: 'bytes'`) are accepted and behave as default streams of byte chunks; BYOB readers are not
// offered (see docs/runtime-api.md).
import { brand } from '../util.ts'
import type { WritableStream } from './writable-stream.ts'

type Source = { start?(c: Controller): unknown; pull?(c: Controller): unknown; cancel?(reason: unknown): unknown; type?: string }
type Strategy = { highWaterMark?: number; size?(chunk: unknown): number }
type ReadResult = { value: unknown; done: boolean }
type Request = { resolve(r: ReadResult): void; reject(e: unknown): void }

interface State {
  state: 'readable' | 'closed' | 'errored'
  queue: { chunk: unknown; size: number }[]
  total: number
  hwm: number
  size: (chunk: unknown) => number
  started: boolean
  pulling: boolean
  pullAgain: boolean
  closeRequested: boolean
  error: unknown
  disturbed: boolean
  reader: ReadableStreamDefaultReader | null
  source: Source
  controller: Controller
}

export interface Controller {
  readonly desiredSize: number | null
  enqueue(chunk?: unknown): void
  close(): void
  error(e?: unknown): void
  readonly byobRequest: null
}

const states = new WeakMap<ReadableStream, State>()
const readers = new WeakMap<ReadableStreamDefaultReader, { stream: ReadableStream | null; requests: Request[]; closed: Promise<undefined>; resolveClosed(): void; rejectClosed(e: unknown): void }>()
const ALLOW = Symbol('allow')

const call = (fn: unknown, self: unknown, args: unknown[]): Promise<unknown> => {
  try {
    return Promise.resolve(typeof fn === 'function' ? fn.apply(self, args) : undefined)
  } catch (error) {
    return Promise.reject(error)
  }
}

function st(stream: ReadableStream): State {
  const s = states.get(stream)
  if (!s) throw new TypeError('Illegal invocation: not a ReadableStream')
  return s
}

function finishClose(s: State): void {
  s.state = 'closed'
  const r = s.reader && readers.get(s.reader)
  if (!r) return
  for (const req of r.requests.splice(0)) req.resolve({ value: undefined, done: true })
  r.resolveClosed()
}

function fail(s: State, e: unknown): void {
  if (s.state !== 'readable') return
  s.state = 'errored'
  s.error = e
  s.queue = []
  s.total = 0
  const r = s.reader && readers.get(s.reader)
  if (!r) return
  for (const req of r.requests.splice(0)) req.reject(e)
  r.rejectClosed(e)
}

function desired(s: State): number | null {
  return s.state === 'errored' ? null : s.state === 'closed' ? 0 : s.hwm - s.total
}

function pullIfNeeded(s: State): void {
  if (!s.started || s.closeRequested || s.state !== 'readable') return
  const waiting = s.reader ? readers.get(s.reader)!.requests.length : 0
  if (waiting === 0 && desired(s)! <= 0) return
  if (s.pulling) {
    s.pullAgain = true
    return
  }
  s.pulling = true
  call(s.source.pull, s.source, [s.controller]).then(
    () => {
      s.pulling = false
      if (s.pullAgain) {
        s.pullAgain = false
        pullIfNeeded(s)
      }
    },
    (e) => fail(s, e),
  )
}

function makeController(s: State): Controller {
  return {
    get desiredSize() { return desired(s) },
    byobRequest: null,
    enqueue(chunk?: unknown) {
      if (s.closeRequested || s.state !== 'readable') throw new TypeError('Cannot enqueue a chunk into a closed or errored ReadableStream')
      const r = s.reader && readers.get(s.reader)
      if (r && r.requests.length > 0) r.requests.shift()!.resolve({ value: chunk, done: false })
      else {
        let size: number
        try {
          size = s.size(chunk)
        } catch (e) {
          fail(s, e)
          throw e
        }
        s.queue.push({ chunk, size })
        s.total += size
      }
      pullIfNeeded(s)
    },
    close() {
      if (s.closeRequested || s.state !== 'readable') throw new TypeError('Cannot close a ReadableStream that is closed or closing')
      s.closeRequested = true
      if (s.queue.length === 0) finishClose(s)
    },
    error(e?: unknown) {
      fail(s, e)
    },
  }
}

export class ReadableStream {
  constructor(source: Source | null = {}, strategy: Strategy | null = {}) {
    source ??= {}
    strategy ??= {}
    const bytes = source.type === 'bytes'
    if (source.type !== undefined && !bytes) throw new RangeError(`Invalid type: ${String(source.type)}`)
    const hwm = strategy.highWaterMark === undefined ? (bytes ? 0 : 1) : Number(strategy.highWaterMark)
    if (Number.isNaN(hwm) || hwm < 0) throw new RangeError('Invalid highWaterMark')
    const sizeFn = strategy.size
    const s = {
      state: 'readable', queue: [], total: 0, hwm, started: false, pulling: false, pullAgain: false, closeRequested: false,
      error: undefined, disturbed: false, reader: null, source,
      size: typeof sizeFn === 'function' ? (chunk: unknown) => Number(sizeFn.call(undefined, chunk)) : () => 1,
    } as unknown as State
    s.controller = makeController(s)
    states.set(this, s)
    call(source.start, source, [s.controller]).then(
      () => {
        s.started = true
        pullIfNeeded(s)
      },
      (e) => fail(s, e),
    )
  }

  get locked(): boolean {
    return st(this).reader !== null
  }

  cancel(reason?: unknown): Promise<void> {
    if (st(this).reader) return Promise.reject(new TypeError('Cannot cancel a locked ReadableStream'))
    return cancelStream(this, reason)
  }

  getReader(options?: { mode?: string }): ReadableStreamDefaultReader {
    if (options?.mode !== undefined) {
      if (options.mode === 'byob') throw new TypeError('BYOB readers are not supported by Edgepad; use the default reader')
      throw new RangeError(`Invalid reader mode: ${String(options.mode)}`)
    }
    return new ReadableStreamDefaultReader(this)
  }

  tee(): [ReadableStream, ReadableStream] {
    const reader = this.getReader()
    const canceled = [false, false]
    const reasons: unknown[] = [undefined, undefined]
    const controllers: Controller[] = []
    let reading = false
    let resolveCancel!: (v: Promise<void>) => void
    const cancelBoth = new Promise<void>((r) => (resolveCancel = r as never))
    const pull = () => {
      if (reading) return
      reading = true
      reader.read().then(
        ({ value, done }) => {
          reading = false
          for (let i = 0; i < 2; i++) {
            if (canceled[i]) continue
            try {
              if (done) controllers[i]!.close()
              else controllers[i]!.enqueue(value)
            } catch {
              // the branch was closed or errored by its consumer
            }
          }
        },
        (e) => {
          reading = false
          for (const c of controllers) c.error(e)
        },
      )
    }
    const branch = (i: number) =>
      new ReadableStream({
        start: (c) => void (controllers[i] = c),
        pull,
        cancel: (reason) => {
          canceled[i] = true
          reasons[i] = reason
          if (canceled[0] && canceled[1]) resolveCancel(reader.cancel(reasons))
          return cancelBoth
        },
      })
    return [branch(0), branch(1)]
  }

  async pipeTo(dest: WritableStream, options: { preventClose?: boolean; preventAbort?: boolean; preventCancel?: boolean; signal?: { aborted: boolean; reason: unknown; addEventListener(t: string, f: () => void): void } } = {}): Promise<void> {
    const reader = this.getReader()
    const writer = dest.getWriter()
    let aborted: { reason: unknown } | null = null
    const signal = options?.signal
    if (signal) {
      if (signal.aborted) aborted = { reason: signal.reason }
      else signal.addEventListener('abort', () => {
        aborted = { reason: signal.reason }
        void reader.cancel(signal.reason).catch(() => undefined)
      })
    }
    try {
      for (;;) {
        if (aborted) throw (aborted as { reason: unknown }).reason
        await writer.ready
        const { value, done } = await reader.read()
        if (done) break
        writer.write(value).catch(() => undefined)
      }
      if (aborted) throw (aborted as { reason: unknown }).reason
      if (!options?.preventClose) await writer.close()
    } catch (error) {
      const sourceFailed = st(this).state === 'errored' || aborted
      if (sourceFailed && !options?.preventAbort) await writer.abort(error).catch(() => undefined)
      if (!options?.preventCancel) await reader.cancel(error).catch(() => undefined)
      throw error
    } finally {
      reader.releaseLock()
      writer.releaseLock()
    }
  }

  pipeThrough<T>(transform: { writable: WritableStream; readable: T }, options?: Parameters<ReadableStream['pipeTo']>[1]): T {
    if (this.locked) throw new TypeError('Cannot pipe a locked ReadableStream')
    this.pipeTo(transform.writable, options).catch(() => undefined)
    return transform.readable
  }

  values(options?: { preventCancel?: boolean }): AsyncIterableIterator<unknown> {
    const reader = this.getReader()
    const preventCancel = Boolean(options?.preventCancel)
    const iterator = {
      async next(): Promise<IteratorResult<unknown>> {
        const { value, done } = await reader.read()
        if (done) reader.releaseLock()
        return done ? { value: undefined, done: true } : { value, done: false }
      },
      async return(value?: unknown): Promise<IteratorResult<unknown>> {
        if (!preventCancel) await reader.cancel(value)
        reader.releaseLock()
        return { value, done: true }
      },
      [Symbol.asyncIterator]() {
        return iterator
      },
    }
    return iterator
  }

  static from(iterable: unknown): ReadableStream {
    const source = iterable as { [Symbol.asyncIterator]?: () => AsyncIterator<unknown>; [Symbol.iterator]?: () => Iterator<unknown> }
    const open = source?.[Symbol.asyncIterator] ?? source?.[Symbol.iterator]
    if (typeof open !== 'function') throw new TypeError('ReadableStream.from: argument is not iterable')
    const it = (open as () => AsyncIterator<unknown>).call(source)
    return new ReadableStream(
      {
        async pull(c) {
          const { value, done } = await it.next()
          if (done) c.close()
          else c.enqueue(await value)
        },
        async cancel(reason) {
          await it.return?.(reason)
        },
      },
      { highWaterMark: 0 },
    )
  }
}
brand(ReadableStream, 'ReadableStream')
Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, { value: ReadableStream.prototype.values, writable: true, configurable: true })

function cancelStream(stream: ReadableStream, reason: unknown): Promise<void> {
  const s = st(stream)
  s.disturbed = true
  if (s.state === 'closed') return Promise.resolve()
  if (s.state === 'errored') return Promise.reject(s.error)
  s.queue = []
  s.total = 0
  finishClose(s)
  return call(s.source.cancel, s.source, [reason]).then(() => undefined)
}

export class ReadableStreamDefaultReader {
  constructor(stream: ReadableStream, token?: symbol) {
    void token
    const s = st(stream)
    if (s.reader) throw new TypeError('ReadableStream is already locked to a reader')
    let resolveClosed!: () => void, rejectClosed!: (e: unknown) => void
    const closed = new Promise<undefined>((res, rej) => {
      resolveClosed = () => res(undefined)
      rejectClosed = rej
    })
    closed.catch(() => undefined)
    readers.set(this, { stream, requests: [], closed, resolveClosed, rejectClosed })
    s.reader = this
    if (s.state === 'closed') resolveClosed()
    if (s.state === 'errored') rejectClosed(s.error)
  }

  get closed(): Promise<undefined> {
    return readers.get(this)!.closed
  }

  read(): Promise<ReadResult> {
    const r = readers.get(this)
    if (!r?.stream) return Promise.reject(new TypeError('This reader has been released'))
    const s = st(r.stream)
    s.disturbed = true
    if (s.queue.length > 0) {
      const { chunk, size } = s.queue.shift()!
      s.total -= size
      if (s.closeRequested && s.queue.length === 0) finishClose(s)
      else pullIfNeeded(s)
      return Promise.resolve({ value: chunk, done: false })
    }
    if (s.state === 'closed') return Promise.resolve({ value: undefined, done: true })
    if (s.state === 'errored') return Promise.reject(s.error)
    return new Promise((resolve, reject) => {
      r.requests.push({ resolve, reject })
      pullIfNeeded(s)
    })
  }

  cancel(reason?: unknown): Promise<void> {
    const r = readers.get(this)
    if (!r?.stream) return Promise.reject(new TypeError('This reader has been released'))
    return cancelStream(r.stream, reason)
  }

  releaseLock(): void {
    const r = readers.get(this)
    if (!r?.stream) return
    const error = new TypeError('The reader was released')
    for (const req of r.requests.splice(0)) req.reject(error)
    r.rejectClosed(error)
    st(r.stream).reader = null
    r.stream = null
  }
}
brand(ReadableStreamDefaultReader, 'ReadableStreamDefaultReader')
void ALLOW

/** For Body: a stream holding one chunk of bytes (or none). */
export function streamOfBytes(bytes: Uint8Array): ReadableStream {
  return new ReadableStream({
    start(c) {
      if (bytes.byteLength > 0) c.enqueue(bytes.slice())
      c.close()
    },
  })
}

export const isDisturbed = (stream: ReadableStream): boolean => st(stream).disturbed

/**
 * Reads a body stream to the end as bytes. Chunks must be bytes, as on Workers. Stops with a
 * RangeError past `cap` bytes, so a huge or endless stream cannot fill the isolate.
 */
export async function readAllBytes(stream: ReadableStream, cap = Infinity): Promise<Uint8Array> {
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      const chunk = value instanceof Uint8Array ? value : value instanceof ArrayBuffer ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : null
      if (!chunk) throw new TypeError('This ReadableStream did not return bytes: body streams must carry Uint8Array chunks')
      total += chunk.byteLength
      if (total > cap) {
        void reader.cancel().catch(() => undefined)
        throw new RangeError(`The body stream is longer than ${cap} bytes`)
      }
      chunks.push(chunk)
    }
  } finally {
    reader.releaseLock()
  }
  if (chunks.length === 1) return chunks[0]!.slice()
  const out = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    out.set(c, offset)
    offset += c.byteLength
  }
  return out
}
