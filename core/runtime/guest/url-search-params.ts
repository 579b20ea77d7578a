// WHATWG `URLSearchParams` with the application/x-www-form-urlencoded parser and serializer.
// A URL links itself through `linkSearchParams`, so mutations here update the URL's query and
// the URL can replace our list when its search changes, without firing the update back.
import { utf8Decode, utf8Encode } from './text-encoding.ts'
import { brand, initPairs, inspectViews, pairIterator, toUSV, type Pair } from './util.ts'

const newIterator = pairIterator('URLSearchParams Iterator')

function decodeComponent(s: string): string {
  s = s.replace(/\+/g, ' ')
  if (!s.includes('%')) return s
  // percent-decode over UTF-8 bytes; invalid sequences (%zz, truncated) stay literal
  const bytes = utf8Encode(s)
  const out = new Uint8Array(bytes.length)
  let w = 0
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === 0x25 && i + 2 < bytes.length) {
      const h = hex(bytes[i + 1]!), l = hex(bytes[i + 2]!)
      if (h >= 0 && l >= 0) { out[w++] = (h << 4) | l; i += 2; continue }
    }
    out[w++] = b
  }
  return utf8Decode(out.subarray(0, w))
}
const hex = (c: number) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : (c |= 0x20) >= 0x61 && c <= 0x66 ? c - 0x57 : -1)

/** application/x-www-form-urlencoded parser. */
export function parseUrlencoded(input: string): Pair[] {
  const out: Pair[] = []
  for (const seq of input.split('&')) {
    if (!seq) continue
    const eq = seq.indexOf('=')
    out.push(eq < 0 ? [decodeComponent(seq), ''] : [decodeComponent(seq.slice(0, eq)), decodeComponent(seq.slice(eq + 1))])
  }
  return out
}

function encodeComponent(s: string): string {
  // fast path: only characters that serialize as themselves
  if (/^[*\-.0-9A-Z_a-z]*$/.test(s)) return s
  let out = ''
  for (const b of utf8Encode(s)) {
    if (b === 0x20) out += '+'
    else if (b === 0x2a || b === 0x2d || b === 0x2e || b === 0x5f || (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a)) out += String.fromCharCode(b)
    else out += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase()
  }
  return out
}

/** application/x-www-form-urlencoded serializer. */
export function serializeUrlencoded(list: readonly Pair[]): string {
  return list.map(([n, v]) => `${encodeComponent(n)}=${encodeComponent(v)}`).join('&')
}

export let linkSearchParams: (p: URLSearchParams, onUpdate: (query: string) => void) => void
/** Replace the list from a URL's query (without the leading '?'); does not call the update hook. */
export let resetSearchParams: (p: URLSearchParams, query: string) => void

export class URLSearchParams {
  #list: Pair[] = []
  #onUpdate: ((query: string) => void) | null = null

  static {
    linkSearchParams = (p, onUpdate) => { p.#onUpdate = onUpdate }
    resetSearchParams = (p, query) => { p.#list = parseUrlencoded(query) }
    inspectViews.set(URLSearchParams.prototype, (p: URLSearchParams) => p.#list.map(([k, v]) => [k, v]))
  }

  constructor(init: unknown = '') {
    if (init !== null && (typeof init === 'object' || typeof init === 'function')) {
      this.#list = init instanceof URLSearchParams ? [...init.#list] : initPairs(init, toUSV, "Failed to construct 'URLSearchParams'")
    } else {
      const s = toUSV(init)
      this.#list = parseUrlencoded(s.startsWith('?') ? s.slice(1) : s)
    }
  }

  #update(): void {
    this.#onUpdate?.(this.toString())
  }

  get size(): number {
    return this.#list.length
  }
  append(name: string, value: string): void {
    this.#list.push([toUSV(name), toUSV(value)])
    this.#update()
  }
  delete(name: string, value?: string): void {
    const n = toUSV(name), v = value === undefined ? undefined : toUSV(value)
    this.#list = this.#list.filter(p => p[0] !== n || (v !== undefined && p[1] !== v))
    this.#update()
  }
  get(name: string): string | null {
    const n = toUSV(name)
    return this.#list.find(p => p[0] === n)?.[1] ?? null
  }
  getAll(name: string): string[] {
    const n = toUSV(name)
    return this.#list.filter(p => p[0] === n).map(p => p[1])
  }
  has(name: string, value?: string): boolean {
    const n = toUSV(name), v = value === undefined ? undefined : toUSV(value)
    return this.#list.some(p => p[0] === n && (v === undefined || p[1] === v))
  }
  set(name: string, value: string): void {
    const n = toUSV(name), v = toUSV(value)
    const i = this.#list.findIndex(p => p[0] === n)
    if (i < 0) this.#list.push([n, v])
    else this.#list = this.#list.filter((p, j) => j <= i || p[0] !== n).map((p, j) => (j === i ? [n, v] : p))
    this.#update()
  }
  sort(): void {
    // stable sort by UTF-16 code units, which is what JS string comparison does
    this.#list.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    this.#update()
  }
  forEach(callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not of type 'Function'.")
    for (let i = 0; i < this.#list.length; i++) {
      const [n, v] = this.#list[i]!
      callback.call(thisArg, v, n, this)
    }
  }
  keys(): IterableIterator<string> {
    return newIterator(() => this.#list, 0)
  }
  values(): IterableIterator<string> {
    return newIterator(() => this.#list, 1)
  }
  entries(): IterableIterator<[string, string]> {
    return newIterator(() => this.#list, 2)
  }
  declare [Symbol.iterator]: () => IterableIterator<[string, string]>
  toString(): string {
    return serializeUrlencoded(this.#list)
  }
}
brand(URLSearchParams, 'URLSearchParams', true)
