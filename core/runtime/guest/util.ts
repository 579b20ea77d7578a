// Small helpers shared by the guest Web-platform classes (WebIDL-style conversions and
// spec-shaped iterators). Nothing here touches globalThis.

/** WebIDL USVString: lone surrogates become U+FFFD. */
export function toUSV(value: unknown): string {
  return (String(value) as string & { toWellFormed(): string }).toWellFormed()
}

/** WebIDL ByteString: every code unit must fit in a byte. */
export function toByteString(value: unknown, what: string): string {
  const s = String(value)
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) throw new TypeError(`${what} has a character outside the Latin-1 range: ${JSON.stringify(s)}`)
  }
  return s
}

/** RFC 9110 token, used for header names and methods. */
export const isToken = (s: string): boolean => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(s)

export type Pair = readonly [string, string]

/**
 * What console output shows for a platform object whose prototype is exactly the key: a plain
 * object of fields, or a Map (printed as `k => v` entries). Views read private state, so
 * inspecting never runs user-replaceable getters.
 */
export const inspectViews = new WeakMap<object, (v: any) => object>()

export function named(fn: Function, name: string): void {
  Object.defineProperty(fn, 'name', { value: name, configurable: true })
}

/**
 * Names a platform class or function explicitly (the runtime bundle is minified without
 * keepNames, so `Headers.name` would otherwise be a mangled letter), sets @@toStringTag on a
 * class, and for iterable classes makes @@iterator the same function as entries() (WebIDL).
 */
export function brand(C: Function & { prototype: object }, name: string, iterable = false): void {
  named(C, name)
  Object.defineProperty(C.prototype, Symbol.toStringTag, { value: name, configurable: true })
  if (iterable) Object.defineProperty(C.prototype, Symbol.iterator, { value: (C.prototype as { entries: unknown }).entries, writable: true, configurable: true })
}
type IterState = { list: () => readonly Pair[]; kind: 0 | 1 | 2; i: number }
const iterStates = new WeakMap<object, IterState>()
// %IteratorPrototype%, so that our iterators are themselves iterable and get the helpers.
const IteratorProto = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object

/**
 * A WebIDL "pair iterator" factory: the list is re-read on each step (iteration is live, as the
 * spec requires), kind 0 = keys, 1 = values, 2 = entries.
 */
export function pairIterator(tag: string): (list: () => readonly Pair[], kind: 0 | 1 | 2) => IterableIterator<any> {
  const proto = Object.create(IteratorProto, {
    next: {
      value: function next(this: object) {
        const st = iterStates.get(this)
        if (!st) throw new TypeError(`next method called on incompatible receiver`)
        const list = st.list()
        if (st.i >= list.length) return { value: undefined, done: true }
        const p = list[st.i++]!
        return { value: st.kind === 0 ? p[0] : st.kind === 1 ? p[1] : [p[0], p[1]], done: false }
      },
      writable: true,
      configurable: true,
    },
    [Symbol.toStringTag]: { value: tag, configurable: true },
  })
  return (list, kind) => {
    const it = Object.create(proto)
    iterStates.set(it, { list, kind, i: 0 })
    return it
  }
}

/** Iterate a WebIDL sequence<sequence<ByteString|USVString>> or record init into pairs. */
export function initPairs(init: object, convert: (v: unknown) => string, what: string): Pair[] {
  const out: Pair[] = []
  const iter = (init as { [Symbol.iterator]?: unknown })[Symbol.iterator]
  if (iter !== undefined) {
    if (typeof iter !== 'function') throw new TypeError(`${what}: init is not iterable`)
    for (const item of init as Iterable<unknown>) {
      if (item === null || typeof item !== 'object' && typeof item !== 'function') throw new TypeError(`${what}: each init entry must be a [name, value] pair`)
      const pair = [...(item as Iterable<unknown>)]
      if (pair.length !== 2) throw new TypeError(`${what}: each init entry must have exactly two items`)
      out.push([convert(pair[0]), convert(pair[1])])
    }
    return out
  }
  // record<K, V>: own enumerable string keys, in [[OwnPropertyKeys]] order
  for (const key of Reflect.ownKeys(init)) {
    if (typeof key !== 'string') continue
    const desc = Reflect.getOwnPropertyDescriptor(init, key)
    if (desc?.enumerable) out.push([convert(key), convert((init as Record<string, unknown>)[key])])
  }
  return out
}
