// `crypto.subtle`, backed by the host's WebCrypto (Node's, itself on OpenSSL): each call is a host
// operation settled through `deliver`, like fetch. Keys stay on the host; a guest CryptoKey holds
// a handle into its sandbox's key table plus the public fields. Workers' `timingSafeEqual` is here too.
import { brand } from '../util.ts'
import type { SubtleKeyInfo, SubtleResult, WireSubtleArg } from '../wire.ts'
import { core } from './core-ref.ts'

const handles = new WeakMap<CryptoKey, number>()
const ALLOW = Symbol('allow')

export class CryptoKey {
  readonly type: string
  readonly extractable: boolean
  readonly algorithm: Record<string, unknown>
  readonly usages: string[]
  constructor(token: symbol, info: SubtleKeyInfo) {
    if (token !== ALLOW) throw new TypeError('Illegal constructor')
    handles.set(this, info.handle)
    this.type = info.type
    this.extractable = info.extractable
    this.algorithm = Object.freeze(reviveAlgorithm(info.algorithm))
    this.usages = Object.freeze([...info.usages]) as string[]
  }
}
brand(CryptoKey, 'CryptoKey')

function reviveAlgorithm(alg: Record<string, unknown>): Record<string, unknown> {
  // workerd's property order (name, hash, then the rest): visible in JSON.stringify(key.algorithm)
  const out: Record<string, unknown> = {}
  if ('name' in alg) out.name = undefined
  if ('hash' in alg) out.hash = undefined
  for (const [k, v] of Object.entries(alg)) out[k] = v instanceof Uint8Array ? v.slice() : v && typeof v === 'object' ? reviveAlgorithm(v as Record<string, unknown>) : v
  return out
}

const isBuffer = (v: unknown): v is ArrayBuffer | ArrayBufferView => v instanceof ArrayBuffer || ArrayBuffer.isView(v)
const bytesOf = (v: ArrayBuffer | ArrayBufferView): Uint8Array =>
  v instanceof ArrayBuffer ? new Uint8Array(v.slice(0)) : new Uint8Array(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength))

/** Turns an argument into the plain shape the host accepts: bytes, key handles, JSON-like data. */
function toWire(value: unknown, depth = 0): WireSubtleArg {
  if (depth > 8) throw new TypeError('crypto.subtle: argument nests too deeply')
  if (value instanceof CryptoKey) return { $key: handles.get(value)! }
  if (isBuffer(value)) return bytesOf(value)
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === undefined) return value ?? null
  if (Array.isArray(value)) return value.map((v) => toWire(v, depth + 1))
  if (typeof value === 'object') {
    const out: Record<string, WireSubtleArg> = {}
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWire(v, depth + 1)
    return out
  }
  throw new TypeError(`crypto.subtle: unsupported argument of type ${typeof value}`)
}

function fromWire(result: unknown): unknown {
  if (result instanceof Uint8Array) return result.slice().buffer
  if (result && typeof result === 'object' && '$key' in result) return new CryptoKey(ALLOW, (result as { $key: SubtleKeyInfo }).$key)
  if (result && typeof result === 'object' && '$pair' in result) {
    const pair = (result as { $pair: [SubtleKeyInfo, SubtleKeyInfo] }).$pair
    return { publicKey: new CryptoKey(ALLOW, pair[0]), privateKey: new CryptoKey(ALLOW, pair[1]) }
  }
  return result
}

function call(method: string, args: unknown[]): Promise<unknown> {
  let wire: WireSubtleArg[]
  try {
    wire = args.map((a) => toWire(a))
  } catch (error) {
    return Promise.reject(error)
  }
  const invocationId = core.currentInvocation()
  return new Promise((resolve, reject) => {
    core.startOp(
      invocationId,
      (delivery) => {
        if (!delivery.ok) return reject(new core.DOMException(delivery.message, 'OperationError'))
        const result = delivery.value as SubtleResult
        if ('error' in result) {
          const { name, message } = result.error
          return reject(name === 'TypeError' ? new TypeError(message) : new core.DOMException(message, name))
        }
        resolve(fromWire(result.value))
      },
      (opId) => core.hooks.subtle(invocationId, opId, method, wire),
    )
  })
}

const METHODS = ['encrypt', 'decrypt', 'sign', 'verify', 'digest', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey'] as const

export class SubtleCrypto {
  constructor(token?: symbol) {
    if (token !== ALLOW) throw new TypeError('Illegal constructor')
  }
  /** Workers' extension: constant-time comparison of two equally long buffers. */
  timingSafeEqual(a: unknown, b: unknown): boolean {
    if (!isBuffer(a) || !isBuffer(b)) throw new TypeError('timingSafeEqual: both arguments must be ArrayBuffer or ArrayBufferView')
    const x = bytesOf(a), y = bytesOf(b)
    if (x.byteLength !== y.byteLength) throw new TypeError('Input buffers must have the same byte length')
    let diff = 0
    for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!
    return diff === 0
  }
}
for (const method of METHODS) {
  Object.defineProperty(SubtleCrypto.prototype, method, {
    value: { [method](...args: unknown[]) { return call(method, args) } }[method],
    writable: true,
    configurable: true,
    enumerable: true,
  })
}
brand(SubtleCrypto, 'SubtleCrypto')

export const subtle = new SubtleCrypto(ALLOW)
