// `TransformStream` (a writable side feeding a readable side through `transform`), plus the two
// encoding streams built on it. The readable side's queue is not bounded by the writable side:
// writes resolve once transformed, so `await writer.write()` before returning a Response works.
import { brand } from '../util.ts'
import { TextDecoder, utf8Encode } from '../text-encoding.ts'
import { ReadableStream, type Controller } from './readable-stream.ts'
import { WritableStream } from './writable-stream.ts'

type Transformer = {
  start?(c: TransformController): unknown
  transform?(chunk: unknown, c: TransformController): unknown
  flush?(c: TransformController): unknown
  cancel?(reason: unknown): unknown
}
type TransformController = { readonly desiredSize: number | null; enqueue(chunk?: unknown): void; error(e?: unknown): void; terminate(): void }

export class TransformStream {
  readonly readable: ReadableStream
  readonly writable: WritableStream

  constructor(transformer: Transformer | null = {}, writableStrategy?: { highWaterMark?: number }, readableStrategy?: { highWaterMark?: number }) {
    transformer ??= {}
    let rc!: Controller
    let errorWritable: (e: unknown) => void = () => undefined
    const t = transformer
    const controller: TransformController = {
      get desiredSize() { return rc.desiredSize },
      enqueue(chunk) { rc.enqueue(chunk) },
      error(e) {
        rc.error(e)
        errorWritable(e)
      },
      terminate() {
        try {
          rc.close()
        } catch {
          // already closed
        }
        errorWritable(new TypeError('The TransformStream was terminated'))
      },
    }
    this.readable = new ReadableStream(
      {
        start: (c) => void (rc = c),
        cancel: (reason) => {
          errorWritable(reason)
          return typeof t.cancel === 'function' ? t.cancel.call(t, reason) : undefined
        },
      },
      readableStrategy ?? { highWaterMark: 0 },
    )
    let started: unknown
    try {
      started = typeof t.start === 'function' ? t.start.call(t, controller) : undefined
    } catch (error) {
      started = Promise.reject(error)
    }
    this.writable = new WritableStream(
      {
        start: (wc) => {
          errorWritable = (e) => (wc as { error(e: unknown): void }).error(e)
          return started
        },
        write: (chunk) => (typeof t.transform === 'function' ? t.transform.call(t, chunk, controller) : controller.enqueue(chunk)),
        close: async () => {
          if (typeof t.flush === 'function') await t.flush.call(t, controller)
          try {
            rc.close()
          } catch {
            // terminated by the transformer
          }
        },
        abort: (reason) => rc.error(reason),
      },
      writableStrategy ?? { highWaterMark: 1 },
    )
  }
}
brand(TransformStream, 'TransformStream')

export class TextEncoderStream extends TransformStream {
  constructor() {
    let pending = ''
    super({
      transform(chunk, c) {
        let text = pending + String(chunk)
        pending = ''
        // a lone high surrogate at the end may be completed by the next chunk
        const last = text.charCodeAt(text.length - 1)
        if (last >= 0xd800 && last <= 0xdbff) {
          pending = text.slice(-1)
          text = text.slice(0, -1)
        }
        if (text) c.enqueue(utf8Encode(text))
      },
      flush(c) {
        if (pending) c.enqueue(utf8Encode(pending))
      },
    })
  }
  get encoding(): string {
    return 'utf-8'
  }
}
brand(TextEncoderStream, 'TextEncoderStream')

export class TextDecoderStream extends TransformStream {
  readonly encoding: string
  readonly fatal: boolean
  readonly ignoreBOM: boolean
  constructor(label = 'utf-8', options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    const decoder = new TextDecoder(label, options)
    super({
      transform(chunk, c) {
        const text = decoder.decode(chunk as Uint8Array, { stream: true })
        if (text) c.enqueue(text)
      },
      flush(c) {
        const text = decoder.decode()
        if (text) c.enqueue(text)
      },
    })
    this.encoding = decoder.encoding
    this.fatal = decoder.fatal
    this.ignoreBOM = decoder.ignoreBOM
  }
}
brand(TextDecoderStream, 'TextDecoderStream')
