import type { HostHooks } from './host-hooks.ts'
import { DOMException } from './base64.ts'

const MAX_RANDOM_BYTES = 65536
const POOL_BYTES = 4096

/** `crypto.getRandomValues` and `crypto.randomUUID`, filled from the host's CSPRNG in pooled chunks. */
export function createCrypto(hooks: HostHooks) {
  let pool: Uint8Array = new Uint8Array(0)
  let offset = 0

  const take = (length: number): Uint8Array => {
    if (length > POOL_BYTES) return hooks.random(length)
    if (offset + length > pool.length) {
      pool = hooks.random(POOL_BYTES)
      offset = 0
    }
    const bytes = pool.subarray(offset, offset + length)
    offset += length
    return bytes
  }

  const integerArrays = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array, BigUint64Array]

  function getRandomValues<T extends ArrayBufferView | null>(array: T): T {
    if (!integerArrays.some((Kind) => array instanceof Kind)) {
      throw new DOMException('The data argument must be an integer-type TypedArray', 'TypeMismatchError')
    }
    const view = array as unknown as Uint8Array
    if (view.byteLength > MAX_RANDOM_BYTES) {
      throw new DOMException(`The ArrayBufferView's byte length (${view.byteLength}) exceeds the number of bytes of entropy available via this API (${MAX_RANDOM_BYTES})`, 'QuotaExceededError')
    }
    new Uint8Array(view.buffer, view.byteOffset, view.byteLength).set(take(view.byteLength))
    return array
  }

  function randomUUID(): string {
    const b = Uint8Array.from(take(16))
    b[6] = (b[6]! & 0x0f) | 0x40
    b[8] = (b[8]! & 0x3f) | 0x80
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }

  return { getRandomValues, randomUUID }
}
