// WHATWG Fetch `Headers`. Storage is a Map from lowercased name to its values; iteration uses
// the spec's "sort and combine" list, cached until the next mutation.
import { brand, initPairs, inspectViews, isToken, pairIterator, toByteString, type Pair } from './util.ts'

export type HeadersInit = Headers | Iterable<Iterable<string>> | Record<string, string>
/** 'immutable' headers (Response.error/redirect, and those the host hands in) reject mutation. */
export type HeadersGuard = 'none' | 'immutable'

const newIterator = pairIterator('Headers Iterator')

function checkName(name: unknown): string {
  const n = toByteString(name, 'Header name')
  if (!isToken(n)) throw new TypeError(`Invalid header name: ${JSON.stringify(n)}`)
  return n.toLowerCase()
}

function normalizeValue(value: unknown): string {
  // strip leading/trailing HTTP whitespace, then reject NUL/CR/LF inside
  const v = toByteString(value, 'Header value').replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')
  if (/[\0\r\n]/.test(v)) throw new TypeError(`Invalid header value: ${JSON.stringify(v)}`)
  return v
}

export let setHeadersGuard: (h: Headers, guard: HeadersGuard) => void
export let headersGuardOf: (h: Headers) => HeadersGuard
/**
 * Internal: Headers from a record of name → value (an incoming request's), as \`new Headers(record)\`
 * would build them. A lowercase token with a value that needs no trimming and holds only Latin-1
 * characters other than NUL/CR/LF is stored as it is; anything else takes \`append\` (same result,
 * same errors). Incoming requests are almost always all fast.
 */
export let headersFromRecord: (record: Record<string, string>) => Headers

const PLAIN_NAME = /^[a-z0-9!#$%&'*+\-.^_`|~]+$/
const PLAIN_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/
const keysOf = Object.keys

export class Headers {
  #map = new Map<string, string[]>()
  #guard: HeadersGuard = 'none'
  #sorted: Pair[] | null = null

  static {
    setHeadersGuard = (h, guard) => { h.#guard = guard }
    headersGuardOf = h => h.#guard
    inspectViews.set(Headers.prototype, (h: Headers) => Object.fromEntries([...h.#map].map(([n, v]) => [n, v.join(', ')])))
    headersFromRecord = (record) => {
      const h = new Headers()
      const names = keysOf(record)
      for (let i = 0; i < names.length; i++) {
        const name = names[i]!
        const value = record[name]
        if (typeof value === 'string' && PLAIN_NAME.test(name) && PLAIN_VALUE.test(value)) {
          const list = h.#map.get(name)
          if (list) list.push(value)
          else h.#map.set(name, [value])
        } else h.append(name, value as string)
      }
      return h
    }
  }

  constructor(init?: HeadersInit | null) {
    if (init === undefined) return
    if (init === null || typeof init !== 'object' && typeof init !== 'function') {
      throw new TypeError("Failed to construct 'Headers': The provided value is not of type '(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.")
    }
    const pairs = init instanceof Headers ? [...init.#entries()] : initPairs(init, String, "Failed to construct 'Headers'")
    for (const [name, value] of pairs) this.append(name, value)
  }

  #mutate(): void {
    if (this.#guard === 'immutable') throw new TypeError('Headers are immutable')
    this.#sorted = null
  }

  append(name: string, value: string): void {
    const n = checkName(name), v = normalizeValue(value)
    this.#mutate()
    const list = this.#map.get(n)
    if (list) list.push(v)
    else this.#map.set(n, [v])
  }
  delete(name: string): void {
    const n = checkName(name)
    this.#mutate()
    this.#map.delete(n)
  }
  get(name: string): string | null {
    return this.#map.get(checkName(name))?.join(', ') ?? null
  }
  getSetCookie(): string[] {
    return [...(this.#map.get('set-cookie') ?? [])]
  }
  has(name: string): boolean {
    return this.#map.has(checkName(name))
  }
  set(name: string, value: string): void {
    const n = checkName(name), v = normalizeValue(value)
    this.#mutate()
    this.#map.set(n, [v])
  }

  /** The spec's "sort and combine": sorted by name, set-cookie values kept as separate entries. */
  #entries(): readonly Pair[] {
    if (this.#sorted) return this.#sorted
    const out: Pair[] = []
    for (const name of [...this.#map.keys()].sort()) {
      const values = this.#map.get(name)!
      if (name === 'set-cookie') for (const v of values) out.push([name, v])
      else out.push([name, values.join(', ')])
    }
    return (this.#sorted = out)
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.")
    // live: re-read the list each step, as the spec's iteration does
    for (let i = 0; i < this.#entries().length; i++) {
      const [n, v] = this.#entries()[i]!
      callback.call(thisArg, v, n, this)
    }
  }
  keys(): IterableIterator<string> {
    return newIterator(() => this.#entries(), 0)
  }
  values(): IterableIterator<string> {
    return newIterator(() => this.#entries(), 1)
  }
  entries(): IterableIterator<[string, string]> {
    return newIterator(() => this.#entries(), 2)
  }
  declare [Symbol.iterator]: () => IterableIterator<[string, string]>
}
brand(Headers, 'Headers', true)
