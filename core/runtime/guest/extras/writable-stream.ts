// WHATWG `WritableStream` with its default writer: writes go to the sink one at a time, in order;
// `ready` reflects backpressure against the high-water mark (counted in chunks unless a size is given).
import { brand } from '../util.ts'

type Sink = { start?(c: unknown): unknown; write?(chunk: unknown, c: unknown): unknown; close?(): unknown; abort?(reason: unknown): unknown }
type Pending = { chunk: unknown; size: number; close: boolean; resolve(): void; reject(e: unknown): void }

interface State {
  state: 'writable' | 'closing' | 'closed' | 'errored'
  sink: Sink
  queue: Pending[]
  total: number
  hwm: number
  size: (chunk: unknown) => number
  started: boolean
  busy: boolean
  error: unknown
  writer: WritableStreamDefaultWriter | null
  controller: { error(e?: unknown): void; signal?: unknown }
  ready: Deferred
  closed: Deferred
}
type Deferred = { promise: Promise<undefined>; resolve(): void; reject(e: unknown): void; settled: boolean }

function deferred(): Deferred {
  const d = { settled: false } as Deferred
  d.promise = new Promise<undefined>((res, rej) => {
    d.resolve = () => { d.settled = true; res(undefined) }
    d.reject = (e) => { d.settled = true; rej(e) }
  })
  d.promise.catch(() => undefined)
  return d
}

const states = new WeakMap<WritableStream, State>()
const writers = new WeakMap<WritableStreamDefaultWriter, WritableStream | null>()

function st(stream: WritableStream): State {
  const s = states.get(stream)
  if (!s) throw new TypeError('Illegal invocation: not a WritableStream')
  return s
}

function fail(s: State, e: unknown): void {
  if (s.state === 'errored' || s.state === 'closed') return
  s.state = 'errored'
  s.error = e
  for (const p of s.queue.splice(0)) p.reject(e)
  s.total = 0
  if (!s.ready.settled) s.ready.reject(e)
  else { s.ready = deferred(); s.ready.reject(e) }
  s.closed.reject(e)
}

function updateReady(s: State): void {
  const backpressure = s.hwm - s.total <= 0
  if (!backpressure && !s.ready.settled) s.ready.resolve()
  else if (backpressure && s.ready.settled && s.state === 'writable') s.ready = deferred()
}

function advance(s: State): void {
  if (!s.started || s.busy || s.queue.length === 0 || s.state === 'errored') return
  const next = s.queue[0]!
  s.busy = true
  let result: Promise<unknown>
  try {
    const fn = next.close ? s.sink.close : s.sink.write
    result = Promise.resolve(typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown).call(s.sink, next.chunk, s.controller) : undefined)
  } catch (error) {
    result = Promise.reject(error)
  }
  result.then(
    () => {
      s.busy = false
      s.queue.shift()
      s.total -= next.size
      next.resolve()
      if (next.close) {
        s.state = 'closed'
        s.closed.resolve()
        return
      }
      updateReady(s)
      advance(s)
    },
    (error) => {
      s.busy = false
      fail(s, error)
    },
  )
}

function enqueue(s: State, chunk: unknown, close: boolean): Promise<undefined> {
  if (s.state === 'errored') return Promise.reject(s.error)
  if (s.state !== 'writable') return Promise.reject(new TypeError('The WritableStream is closed or closing'))
  let size = 0
  if (!close) {
    try {
      size = s.size(chunk)
    } catch (e) {
      fail(s, e)
      return Promise.reject(e)
    }
  } else s.state = 'closing'
  const d = deferred()
  s.queue.push({ chunk, size, close, resolve: d.resolve, reject: d.reject })
  s.total += size
  updateReady(s)
  advance(s)
  return d.promise
}

function abort(s: State, reason: unknown): Promise<undefined> {
  if (s.state === 'closed' || s.state === 'errored') return Promise.resolve(undefined)
  fail(s, reason)
  return Promise.resolve(typeof s.sink.abort === 'function' ? s.sink.abort(reason) : undefined).then(() => undefined)
}

export class WritableStream {
  constructor(sink: Sink | null = {}, strategy: { highWaterMark?: number; size?(chunk: unknown): number } | null = {}) {
    sink ??= {}
    strategy ??= {}
    const hwm = strategy.highWaterMark === undefined ? 1 : Number(strategy.highWaterMark)
    if (Number.isNaN(hwm) || hwm < 0) throw new RangeError('Invalid highWaterMark')
    const sizeFn = strategy.size
    const s: State = {
      state: 'writable', sink, queue: [], total: 0, hwm, started: false, busy: false, error: undefined, writer: null,
      size: typeof sizeFn === 'function' ? (chunk) => Number(sizeFn.call(undefined, chunk)) : () => 1,
      controller: { error: (e?: unknown) => fail(s, e) },
      ready: deferred(), closed: deferred(),
    }
    updateReady(s)
    states.set(this, s)
    let started: Promise<unknown>
    try {
      started = Promise.resolve(typeof sink.start === 'function' ? sink.start.call(sink, s.controller) : undefined)
    } catch (error) {
      started = Promise.reject(error)
    }
    started.then(
      () => {
        s.started = true
        advance(s)
      },
      (e) => fail(s, e),
    )
  }
  get locked(): boolean {
    return st(this).writer !== null
  }
  getWriter(): WritableStreamDefaultWriter {
    return new WritableStreamDefaultWriter(this)
  }
  abort(reason?: unknown): Promise<undefined> {
    if (this.locked) return Promise.reject(new TypeError('Cannot abort a locked WritableStream'))
    return abort(st(this), reason)
  }
  close(): Promise<undefined> {
    if (this.locked) return Promise.reject(new TypeError('Cannot close a locked WritableStream'))
    return enqueue(st(this), undefined, true)
  }
}
brand(WritableStream, 'WritableStream')

export class WritableStreamDefaultWriter {
  constructor(stream: WritableStream) {
    const s = st(stream)
    if (s.writer) throw new TypeError('WritableStream is already locked to a writer')
    s.writer = this
    writers.set(this, stream)
  }
  #state(): State {
    const stream = writers.get(this)
    if (!stream) throw new TypeError('This writer has been released')
    return st(stream)
  }
  get closed(): Promise<undefined> {
    return this.#state().closed.promise
  }
  get ready(): Promise<undefined> {
    return this.#state().ready.promise
  }
  get desiredSize(): number | null {
    const s = this.#state()
    return s.state === 'errored' ? null : s.state === 'closed' ? 0 : s.hwm - s.total
  }
  write(chunk?: unknown): Promise<undefined> {
    const stream = writers.get(this)
    return stream ? enqueue(st(stream), chunk, false) : Promise.reject(new TypeError('This writer has been released'))
  }
  close(): Promise<undefined> {
    const stream = writers.get(this)
    return stream ? enqueue(st(stream), undefined, true) : Promise.reject(new TypeError('This writer has been released'))
  }
  abort(reason?: unknown): Promise<undefined> {
    const stream = writers.get(this)
    return stream ? abort(st(stream), reason) : Promise.reject(new TypeError('This writer has been released'))
  }
  releaseLock(): void {
    const stream = writers.get(this)
    if (!stream) return
    st(stream).writer = null
    writers.set(this, null)
  }
}
brand(WritableStreamDefaultWriter, 'WritableStreamDefaultWriter')
