// `URLPattern`: each URL component's pattern is compiled to a RegExp. Supports the pattern syntax
// people use (`:name`, `:name(regex)`, `*`, `(regex)`, `{…}` groups, the `?`, `+` and `*`
// modifiers, `\` escapes); see docs/runtime-api.md for what differs from the full specification.
import { brand } from '../util.ts'
import { core } from './core-ref.ts'

const COMPONENTS = ['protocol', 'username', 'password', 'hostname', 'port', 'pathname', 'search', 'hash'] as const
type Component = (typeof COMPONENTS)[number]
type Init = Partial<Record<Component, string>> & { baseURL?: string }
type Compiled = { pattern: string; regexp: RegExp; names: string[]; hasRegExp: boolean }
const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' }

const escapeRe = (s: string) => s.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&')

function compile(pattern: string, component: Component, ignoreCase: boolean): Compiled {
  const sep = component === 'pathname' ? '/' : component === 'hostname' ? '.' : ''
  const segment = sep ? `[^${escapeRe(sep)}]+?` : '.+?'
  const names: string[] = []
  let hasRegExp = false
  let unnamed = 0
  let i = 0
  // Reads one token; returns the regexp of it plus whether it is a capturing part.
  const parseSeq = (end: string | null): string => {
    let out = ''
    while (i < pattern.length && pattern[i] !== end) {
      const ch = pattern[i]!
      let body: string | null = null
      let prefix = ''
      if (sep === '/' && ch === '/' && /[:(*]/.test(pattern[i + 1] ?? '') ) {
        prefix = '/'
        i++
      }
      const c = pattern[i]!
      if (c === ':') {
        const name = /^[A-Za-z_$][\w$]*/.exec(pattern.slice(i + 1))?.[0]
        if (!name) throw new TypeError(`Invalid URLPattern: missing group name at ${i} in ${JSON.stringify(pattern)}`)
        i += 1 + name.length
        names.push(name)
        body = pattern[i] === '(' ? readRegExp() : segment
      } else if (c === '(') {
        names.push(String(unnamed++))
        body = readRegExp()
      } else if (c === '*') {
        i++
        names.push(String(unnamed++))
        body = '.*'
      } else if (c === '{') {
        i++
        const inner = parseSeq('}')
        i++
        const mod = readModifier()
        out += escapeRe(prefix) + (mod ? `(?:${inner})${mod}` : inner)
        continue
      } else {
        if (prefix) {
          out += '/'
          continue
        }
        i++
        out += c === '\\' ? escapeRe(pattern[i++] ?? '') : escapeRe(c)
        continue
      }
      const mod = readModifier()
      const p = escapeRe(prefix)
      if (mod === '') out += `${p}(${body})`
      else if (mod === '?') out += `(?:${p}(${body}))?`
      else out += `(?:${p}((?:${body})(?:${p}(?:${body}))*))${mod === '*' ? '?' : ''}`
    }
    return out
  }
  const readModifier = (): string => {
    const m = pattern[i]
    if (m === '?' || m === '+' || m === '*') {
      i++
      return m
    }
    return ''
  }
  const readRegExp = (): string => {
    let depth = 0
    let j = i
    for (; j < pattern.length; j++) {
      if (pattern[j] === '\\') j++
      else if (pattern[j] === '(') depth++
      else if (pattern[j] === ')' && --depth === 0) break
    }
    if (j >= pattern.length) throw new TypeError(`Invalid URLPattern: unbalanced parenthesis in ${JSON.stringify(pattern)}`)
    const re = pattern.slice(i + 1, j)
    i = j + 1
    hasRegExp = true
    // capture groups inside the user's regexp would shift ours
    return re.replace(/\((?!\?)/g, '(?:')
  }
  const source = parseSeq(null)
  let regexp: RegExp
  try {
    regexp = new RegExp(`^${source}$`, ignoreCase ? 'iu' : 'u')
  } catch (error) {
    throw new TypeError(`Invalid URLPattern ${component} ${JSON.stringify(pattern)}: ${(error as Error).message}`)
  }
  return { pattern, regexp, names, hasRegExp }
}

/** Splits a constructor string such as `https://*.example.com/books/:id?x=*` into components. */
function parseConstructorString(input: string, baseURL: string | undefined): Init {
  const init: Init = {}
  let rest = input
  const hash = rest.indexOf('#')
  if (hash >= 0) [rest, init.hash] = [rest.slice(0, hash), rest.slice(hash + 1)]
  const query = /\?(?![^(]*\))/.exec(rest)
  if (query) [rest, init.search] = [rest.slice(0, query.index), rest.slice(query.index + 1)]
  const full = /^([A-Za-z*][\w+.*-]*):\/\/([^/]*)(.*)$/.exec(rest)
  if (full) {
    init.protocol = full[1]!
    let host = full[2]!
    const at = host.lastIndexOf('@')
    if (at >= 0) {
      const [user, pass] = host.slice(0, at).split(':')
      init.username = user
      if (pass !== undefined) init.password = pass
      host = host.slice(at + 1)
    }
    const port = /:(\d*|\*)$/.exec(host)
    if (port) [host, init.port] = [host.slice(0, port.index), port[1]!]
    init.hostname = host
    init.pathname = full[3] || '/'
    // a full-URL pattern leaves later components empty unless given, as the spec's parser does
    init.search ??= ''
    init.hash ??= ''
    return init
  }
  if (baseURL === undefined) throw new TypeError(`Invalid URLPattern ${JSON.stringify(input)}: a relative pattern needs a base URL`)
  init.pathname = rest
  init.baseURL = baseURL
  init.search ??= ''
  init.hash ??= ''
  return init
}

function componentsOf(input: unknown, base?: string): Record<Component, string> | null {
  if (typeof input === 'object' && input !== null) {
    const init = input as Init
    const out = {} as Record<Component, string>
    const from = init.baseURL !== undefined ? componentsOf(init.baseURL) : null
    for (const c of COMPONENTS) out[c] = init[c] !== undefined ? String(init[c]) : from ? from[c] : ''
    return out
  }
  let url
  try {
    url = new core.URL(String(input), base)
  } catch {
    return null
  }
  return {
    protocol: url.protocol.slice(0, -1), username: url.username, password: url.password, hostname: url.hostname,
    port: url.port, pathname: url.pathname, search: url.search.slice(1), hash: url.hash.slice(1),
  }
}

export class URLPattern {
  readonly #parts: Record<Component, Compiled>

  constructor(input: string | Init = {}, baseURL?: string | { ignoreCase?: boolean }, options?: { ignoreCase?: boolean }) {
    if (typeof baseURL === 'object') [options, baseURL] = [baseURL, undefined]
    const init: Init = typeof input === 'string' ? parseConstructorString(input, baseURL) : { ...input }
    const base = init.baseURL !== undefined ? componentsOf(init.baseURL) : null
    if (init.baseURL !== undefined && !base) throw new TypeError(`Invalid base URL ${JSON.stringify(init.baseURL)}`)
    const parts = {} as Record<Component, Compiled>
    for (const c of COMPONENTS) {
      let p = init[c] !== undefined ? String(init[c]) : base && (c === 'protocol' || c === 'hostname' || c === 'port' || c === 'username' || c === 'password' || (c === 'pathname' && init.pathname === undefined)) ? escapePattern(base[c]) : '*'
      if (c === 'protocol') p = p.replace(/:$/, '')
      if (c === 'search') p = p.replace(/^\?/, '')
      if (c === 'hash') p = p.replace(/^#/, '')
      if (c === 'pathname' && base && init.pathname !== undefined && !p.startsWith('/') && !p.startsWith('*') && !p.startsWith('{') && !p.startsWith(':')) {
        p = escapePattern(base.pathname.slice(0, base.pathname.lastIndexOf('/') + 1)) + p
      }
      if (c === 'port' && DEFAULT_PORTS[`${parts.protocol?.pattern}:`] === p) p = ''
      parts[c] = compile(p, c, Boolean(options?.ignoreCase) && c !== 'protocol' && c !== 'hostname' ? true : Boolean(options?.ignoreCase))
    }
    this.#parts = parts
  }

  test(input: unknown = {}, baseURL?: string): boolean {
    return this.exec(input, baseURL) !== null
  }

  exec(input: unknown = {}, baseURL?: string): Record<string, unknown> | null {
    const values = componentsOf(input, baseURL)
    if (!values) return null
    if (DEFAULT_PORTS[`${values.protocol}:`] === values.port) values.port = ''
    const result: Record<string, unknown> = { inputs: baseURL === undefined ? [input] : [input, baseURL] }
    for (const c of COMPONENTS) {
      const part = this.#parts[c]
      const match = part.regexp.exec(values[c])
      if (!match) return null
      const groups: Record<string, string | undefined> = {}
      part.names.forEach((name, k) => (groups[name] = match[k + 1]))
      result[c] = { input: values[c], groups }
    }
    return result
  }

  get hasRegExpGroups(): boolean {
    return COMPONENTS.some((c) => this.#parts[c].hasRegExp)
  }
  get protocol(): string { return this.#parts.protocol.pattern }
  get username(): string { return this.#parts.username.pattern }
  get password(): string { return this.#parts.password.pattern }
  get hostname(): string { return this.#parts.hostname.pattern }
  get port(): string { return this.#parts.port.pattern }
  get pathname(): string { return this.#parts.pathname.pattern }
  get search(): string { return this.#parts.search.pattern }
  get hash(): string { return this.#parts.hash.pattern }
}
brand(URLPattern, 'URLPattern')

function escapePattern(s: string): string {
  return s.replace(/[+*?:{}()\\]/g, '\\$&')
}
