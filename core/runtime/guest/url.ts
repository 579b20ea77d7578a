// WHATWG `URL`, backed by the host's parser (Node's ada), which is exact and far smaller for
// us than a spec-complete parser in JS. The guest keeps the parsed components and only calls
// the host to parse or to apply a setter.
//
// HOST-HOOK CONTRACT. The bootstrap installs the two hooks once per context, before user code:
//
//   const URL = createURLClass(parse, set)   // or installURLHost({ parse, set }) and use `URL`
//
// The hooks are module state of this bundle (one bundle per context), so Request and
// Response.redirect resolve URLs through the same host; createURLClass returns the one class.
//
//   parse(input: string, base: string | undefined): URLParts | null
//     = `new URL(input, base)` on the host; null when it throws (invalid URL or invalid base).
//   set(href: string, component: URLComponent, value: string): URLParts | null
//     = `const u = new URL(href); u[component] = value; return parts(u)`. `href` is always one the
//     host produced, so it parses; component is never 'href' (the guest uses parse for that).
//     Node's setters ignore invalid values silently, as the spec requires. null (bad arguments)
//     leaves the guest URL unchanged.
//
//   URLParts = { href, origin, protocol, username, password, host, hostname, port, pathname,
//                search, hash }  — all strings, exactly Node's URL getters.
//
// The host must treat arguments as untrusted: check they are strings, and whitelist
// `component` (so a guest cannot set e.g. `__proto__` on a host object). Host implementation:
// core/runtime/url-host.ts (`urlParse`, `urlSet`); the guest tests run against it.
import { linkSearchParams, resetSearchParams, URLSearchParams } from './url-search-params.ts'
import { brand, inspectViews, toUSV } from './util.ts'

export type URLParts = {
  href: string; origin: string; protocol: string; username: string; password: string
  host: string; hostname: string; port: string; pathname: string; search: string; hash: string
}
export type URLComponent = 'protocol' | 'username' | 'password' | 'host' | 'hostname' | 'port' | 'pathname' | 'search' | 'hash'
export type URLHost = {
  parse(input: string, base: string | undefined): URLParts | null
  set(href: string, component: URLComponent, value: string): URLParts | null
}

let host: URLHost | null = null

export function installURLHost(h: URLHost): void {
  host = h
}

export function createURLClass(parse: URLHost['parse'], set: URLHost['set']): typeof URL {
  installURLHost({ parse, set })
  return URL
}

// Parsing is pure and parts are never mutated (setters replace them), so recent results are
// reused: every request builds a URL from the same few strings, and a host call costs ~4 µs.
const parsed = new Map<string, URLParts | null>()
const CACHE_ENTRIES = 128
const CACHE_MAX_LENGTH = 2048

function parse(input: unknown, base: unknown): URLParts | null {
  if (!host) throw new Error('URL host hooks are not installed')
  const text = toUSV(input)
  const baseText = base === undefined ? undefined : toUSV(base)
  const cacheable = text.length + (baseText?.length ?? 0) < CACHE_MAX_LENGTH
  const key = baseText === undefined ? text : `${text}\u0000${baseText}`
  if (cacheable && parsed.has(key)) return parsed.get(key)!
  const parts = host.parse(text, baseText)
  if (parts) Object.freeze(parts)
  if (cacheable) {
    if (parsed.size >= CACHE_ENTRIES) parsed.clear()
    parsed.set(key, parts)
  }
  return parts
}

/** Parse to an absolute href, or null: for Request/Response.redirect. */
export function parseHref(input: unknown, base?: unknown): string | null {
  return parse(input, base)?.href ?? null
}

const invalid = (input: unknown) => Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL', input: String(input) })

export class URL {
  #p: URLParts
  #query: URLSearchParams | null = null

  static {
    inspectViews.set(URL.prototype, (u: URL) => {
      const { search, hash, ...rest } = u.#p
      return { ...rest, search, searchParams: new URLSearchParams(search), hash }
    })
  }

  constructor(url: unknown, base?: unknown) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'URL': 1 argument required, but only 0 present.")
    const p = parse(url, base)
    if (!p) throw invalid(url)
    this.#p = p
  }

  static canParse(url: unknown, base?: unknown): boolean {
    return parse(url, base) !== null
  }
  static parse(url: unknown, base?: unknown): URL | null {
    return parse(url, base) ? new URL(url, base) : null
  }

  #apply(component: URLComponent, value: unknown): void {
    if (!host) throw new Error('URL host hooks are not installed')
    this.#p = host.set(this.#p.href, component, toUSV(value)) ?? this.#p
    // the search setter (and anything that can change it) re-parses the linked params
    if (this.#query && component === 'search') resetSearchParams(this.#query, this.#p.search.slice(1))
  }

  get href(): string { return this.#p.href }
  set href(value: string) {
    const p = parse(value, undefined)
    if (!p) throw invalid(value)
    this.#p = p
    if (this.#query) resetSearchParams(this.#query, p.search.slice(1))
  }
  get origin(): string { return this.#p.origin }
  get protocol(): string { return this.#p.protocol }
  set protocol(v: string) { this.#apply('protocol', v) }
  get username(): string { return this.#p.username }
  set username(v: string) { this.#apply('username', v) }
  get password(): string { return this.#p.password }
  set password(v: string) { this.#apply('password', v) }
  get host(): string { return this.#p.host }
  set host(v: string) { this.#apply('host', v) }
  get hostname(): string { return this.#p.hostname }
  set hostname(v: string) { this.#apply('hostname', v) }
  get port(): string { return this.#p.port }
  set port(v: string) { this.#apply('port', v) }
  get pathname(): string { return this.#p.pathname }
  set pathname(v: string) { this.#apply('pathname', v) }
  get search(): string { return this.#p.search }
  set search(v: string) { this.#apply('search', v) }
  get hash(): string { return this.#p.hash }
  set hash(v: string) { this.#apply('hash', v) }

  get searchParams(): URLSearchParams {
    if (!this.#query) {
      const q = new URLSearchParams(this.#p.search)
      // The spec's URLSearchParams "update steps": an empty list removes the query entirely.
      linkSearchParams(q, query => {
        this.#p = host!.set(this.#p.href, 'search', query) ?? this.#p
      })
      this.#query = q
    }
    return this.#query
  }

  toString(): string { return this.#p.href }
  toJSON(): string { return this.#p.href }
}
brand(URL, 'URL')
