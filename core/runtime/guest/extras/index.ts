// Entry of the extras bundle: the Web-platform pieces most functions never touch (streams, Blob and
// FormData, URLPattern, events and abort, crypto.subtle). The bootstrap asks the host to evaluate
// this bundle the first time one of them is used, so idle isolates never pay for them.
import { AbortController, AbortSignal } from './abort.ts'
import { Blob, blobBytes, File } from './blob.ts'
import { setCore, type Core } from './core-ref.ts'
import { CustomEvent, Event, EventTarget } from './events.ts'
import { FormData } from './form-data.ts'
import { parseFormData, serializeFormData } from './multipart.ts'
import { isDisturbed, readAllBytes, ReadableStream, ReadableStreamDefaultReader, streamOfBytes } from './readable-stream.ts'
import { CryptoKey, subtle, SubtleCrypto } from './subtle.ts'
import { TextDecoderStream, TextEncoderStream, TransformStream } from './transform-stream.ts'
import { URLPattern } from './url-pattern.ts'
import { WritableStream, WritableStreamDefaultWriter } from './writable-stream.ts'

function createExtras(core: Core) {
  setCore(core)
  return {
    /** Installed on the global object under these names. */
    globals: {
      ReadableStream, ReadableStreamDefaultReader, WritableStream, WritableStreamDefaultWriter, TransformStream,
      TextEncoderStream, TextDecoderStream, Blob, File, FormData, URLPattern, Event, CustomEvent, EventTarget,
      AbortController, AbortSignal, CryptoKey, SubtleCrypto,
      ByteLengthQueuingStrategy: class ByteLengthQueuingStrategy {
        readonly highWaterMark: number
        constructor(init: { highWaterMark: number }) { this.highWaterMark = init.highWaterMark }
        size(chunk: { byteLength: number }) { return chunk.byteLength }
      },
      CountQueuingStrategy: class CountQueuingStrategy {
        readonly highWaterMark: number
        constructor(init: { highWaterMark: number }) { this.highWaterMark = init.highWaterMark }
        size() { return 1 }
      },
    },
    subtle,
    ReadableStream,
    Blob,
    FormData,
    blobBytes,
    streamOfBytes,
    readAllBytes,
    isDisturbed,
    parseFormData,
    serializeFormData,
  }
}

export type Extras = ReturnType<typeof createExtras>

;(globalThis as unknown as Record<string, unknown>).__edgepadExtras = createExtras
