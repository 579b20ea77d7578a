// structuredClone per the HTML "StructuredSerializeInternal"/"Deserialize" pair, done in one
// in-realm pass. Brand checks use the built-ins' own methods (which throw on the wrong kind of
// object) rather than instanceof or toStringTag, so user objects cannot pose as built-ins.
import { DOMException } from './base64.ts'
import { named } from './util.ts'

type AnyCtor = new (...args: any[]) => any
const call = (fn: Function, self: unknown): unknown => Reflect.apply(fn, self, [])
const brand = (fn: Function, self: unknown): boolean => {
  try { call(fn, self); return true } catch { return false }
}
const getter = (proto: object, key: PropertyKey) => Reflect.getOwnPropertyDescriptor(proto, key)!.get!
const TypedArrayProto = Object.getPrototypeOf(Uint8Array.prototype) as object
const typedArrayTag = getter(TypedArrayProto, Symbol.toStringTag)
const abByteLength = getter(ArrayBuffer.prototype, 'byteLength')
const dvByteLength = getter(DataView.prototype, 'byteLength')
const regexpSource = getter(RegExp.prototype, 'source')
const regexpFlags = getter(RegExp.prototype, 'flags')
const mapSize = getter(Map.prototype, 'size')
const setSize = getter(Set.prototype, 'size')
const TYPED: Record<string, AnyCtor> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
}
const ERROR_TYPES: Record<string, AnyCtor> = { Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError }
const isError: (v: unknown) => boolean = (Error as { isError?: (v: unknown) => boolean }).isError ??
  (v => Object.prototype.toString.call(v) === '[object Error]')

function uncloneable(v: unknown): never {
  const what = typeof v === 'symbol' ? v.toString()
    : typeof v === 'function' ? Function.prototype.toString.call(v).slice(0, 200)
    : `#<${Object.prototype.toString.call(v).slice(8, -1)}>`
  throw new DOMException(`${what} could not be cloned.`, 'DataCloneError')
}

type Buf = ArrayBuffer & { resizable?: boolean; maxByteLength?: number; detached?: boolean; transfer?(): ArrayBuffer }

function newBuffer(src: Buf, copy: boolean): ArrayBuffer {
  if (src.detached) throw new DOMException('An ArrayBuffer is detached and could not be cloned.', 'DataCloneError')
  const len = src.byteLength
  const out = (src.resizable ? new (ArrayBuffer as any)(len, { maxByteLength: src.maxByteLength }) : new ArrayBuffer(len)) as ArrayBuffer
  if (copy) new Uint8Array(out).set(new Uint8Array(src))
  return out
}

export function structuredClone(value: unknown, options?: { transfer?: unknown[] } | null): unknown {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'structuredClone': 1 argument required, but only 0 present.")
  const memory = new Map<object, unknown>()
  const transfers: [Buf, ArrayBuffer][] = []
  for (const t of options?.transfer ?? []) {
    if (!brand(abByteLength, t)) throw new DOMException('Value not transferable', 'DataCloneError')
    if (memory.has(t as object)) throw new DOMException('ArrayBuffer at index is a duplicate of an earlier ArrayBuffer.', 'DataCloneError')
    // The output gets a fresh buffer now; contents move over (and the source is detached) only
    // after the whole value cloned, so a failure leaves the inputs untouched, as in the spec.
    const fresh = newBuffer(t as Buf, false)
    memory.set(t as object, fresh)
    transfers.push([t as Buf, fresh])
  }
  const result = clone(value, memory)
  for (const [src, dst] of transfers) {
    new Uint8Array(dst).set(new Uint8Array(src))
    src.transfer!()
  }
  return result
}

named(structuredClone, 'structuredClone')

function clone(v: unknown, memory: Map<object, unknown>): unknown {
  if (typeof v === 'symbol' || typeof v === 'function') uncloneable(v)
  if (v === null || typeof v !== 'object') return v
  if (memory.has(v)) return memory.get(v)
  const done = <T>(out: T): T => { memory.set(v, out); return out }

  // primitive wrappers (Boolean, Number, BigInt, String)
  for (const P of [Boolean, Number, String, BigInt] as const) {
    try { return done(Object(call(P.prototype.valueOf, v))) } catch {}
  }
  try { return done(new Date(call(Date.prototype.getTime, v) as number)) } catch {}
  if (v !== RegExp.prototype && brand(regexpSource, v)) return done(new RegExp(call(regexpSource, v) as string, call(regexpFlags, v) as string))
  if (brand(abByteLength, v)) return done(newBuffer(v as Buf, true))
  if (typeof SharedArrayBuffer === 'function' && brand(getter(SharedArrayBuffer.prototype, 'byteLength'), v)) return done(v) // shares memory by definition
  const ta = call(typedArrayTag, v) as string | undefined
  if (ta || brand(dvByteLength, v)) {
    // read through the intrinsic getters: own properties named `buffer` etc. must not fool us
    const proto = ta ? TypedArrayProto : DataView.prototype
    const get = (k: string) => call(getter(proto, k), v) as number
    const buffer = clone(call(getter(proto, 'buffer'), v), memory)
    const Ctor = ta ? TYPED[ta] ?? uncloneable(v) : DataView
    return done(new Ctor(buffer, get('byteOffset'), get(ta ? 'length' : 'byteLength')))
  }
  if (brand(mapSize, v)) {
    const out = done(new Map())
    // the spec copies the entries first, then serializes them
    for (const [k, val] of [...(call(Map.prototype.entries, v) as Iterable<[unknown, unknown]>)]) out.set(clone(k, memory), clone(val, memory))
    return out
  }
  if (brand(setSize, v)) {
    const out = done(new Set())
    for (const k of [...(call(Set.prototype.values, v) as Iterable<unknown>)]) out.add(clone(k, memory))
    return out
  }
  if (isError(v)) {
    const e = v as Error
    const name = String(e.name)
    const msgDesc = Reflect.getOwnPropertyDescriptor(e, 'message')
    const out = done(new (ERROR_TYPES[name] ?? Error)(msgDesc ? String(msgDesc.value) : undefined)) as Error
    const stack = e.stack
    if (typeof stack === 'string') Object.defineProperty(out, 'stack', { value: stack, writable: true, configurable: true })
    if (Reflect.getOwnPropertyDescriptor(e, 'cause')) {
      Object.defineProperty(out, 'cause', { value: clone(e.cause, memory), writable: true, configurable: true })
    }
    return out
  }
  if (brand(WeakMap.prototype.has, v) || brand(WeakSet.prototype.has, v)) uncloneable(v)
  const tag = Object.prototype.toString.call(v)
  if (tag === '[object Promise]' || tag === '[object WeakRef]' || tag === '[object FinalizationRegistry]') uncloneable(v)

  const isArray = Array.isArray(v)
  const out = done(isArray ? new Array((v as unknown[]).length) : {}) as Record<string, unknown>
  for (const key of Object.keys(v)) {
    // a getter may delete later keys: the spec skips those
    if (!Object.prototype.hasOwnProperty.call(v, key)) continue
    const value = clone((v as Record<string, unknown>)[key], memory)
    Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
  }
  return out
}
