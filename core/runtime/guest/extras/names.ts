// Globals the extras bundle provides. Kept apart from extras/index.ts so the bootstrap can import
// the list without pulling the extras themselves into its bundle.
export const EXTRA_GLOBALS = [
  'ReadableStream', 'ReadableStreamDefaultReader', 'WritableStream', 'WritableStreamDefaultWriter', 'TransformStream',
  'TextEncoderStream', 'TextDecoderStream', 'Blob', 'File', 'FormData', 'URLPattern', 'Event', 'CustomEvent', 'EventTarget',
  'AbortController', 'AbortSignal', 'CryptoKey', 'SubtleCrypto', 'ByteLengthQueuingStrategy', 'CountQueuingStrategy',
] as const
