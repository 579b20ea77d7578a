// console formatting in the style of Node's util.format/util.inspect (defaults: depth 2, so the
// 4th level of nesting prints as [Object]; breakLength 80; compact 3; 100 array items).
// Safety rules, because the values are user-controlled and formatting runs on every log call:
// properties are read through own descriptors (getters are shown, never invoked), no user
// toString/inspect/Symbol.toPrimitive is called, anything that throws (a Proxy trap, a revoked
// proxy) prints as [object (inaccessible)], and work is bounded by a node count and an output cap.

import { BREAK, formatNumber, MAX_ITEMS, more, quote, reduce } from './inspect-layout.ts'
import { inspectViews } from './util.ts'

const DEPTH = 2
const MAX_STRING = 10_000
const MAX_NODES = 5_000
const MAX_OUTPUT = 16 * 1024

type Ctx = { seen: object[]; circular: Map<object, number>; nodes: number; len: number; indent: number; cur: number; depth: number }

const { getOwnPropertyDescriptor: desc, ownKeys, getPrototypeOf, apply } = Reflect
const call = (fn: Function, self: unknown, ...args: unknown[]): any => apply(fn, self, args)
const getter = (proto: object, key: PropertyKey) => desc(proto, key)!.get!
const tryCall = (fn: Function, self: unknown): any => { try { return call(fn, self) } catch { return undefined } }
const TypedArrayProto = getPrototypeOf(Uint8Array.prototype) as object
const typedArrayTag = getter(TypedArrayProto, Symbol.toStringTag)
const typedArrayLength = getter(TypedArrayProto, 'length')
const mapSize = getter(Map.prototype, 'size')
const setSize = getter(Set.prototype, 'size')
const abLength = getter(ArrayBuffer.prototype, 'byteLength')
const dvGetters = ['byteLength', 'byteOffset', 'buffer'].map(k => getter(DataView.prototype, k))
const reGetters = ['hasIndices', 'global', 'ignoreCase', 'multiline', 'dotAll', 'unicode', 'unicodeSets', 'sticky']
  .map(k => desc(RegExp.prototype, k)?.get)
const stackGetter = desc(new Error(), 'stack')?.get
const fnKinds = new Map<object | null, string>([
  [getPrototypeOf(async () => {}), 'AsyncFunction'],
  [getPrototypeOf(function* () {}), 'GeneratorFunction'],
  [getPrototypeOf(async function* () {}), 'AsyncGeneratorFunction'],
])
const isError: (v: unknown) => boolean = (Error as { isError?: (v: unknown) => boolean }).isError ??
  (v => Object.prototype.toString.call(v) === '[object Error]')


function formatPrimitive(v: unknown, ctx: Ctx): string {
  if (typeof v === 'string') {
    let s = v, trailer = ''
    if (s.length > MAX_STRING) { trailer = more(s.length - MAX_STRING, 'character'); s = s.slice(0, MAX_STRING) }
    if (s.length > 16 && s.length > BREAK - ctx.indent - 4 && s.indexOf('\n') < s.length - 1 && s.includes('\n')) {
      return s.split(/(?<=\n)/).map(quote).join(` +\n${' '.repeat(ctx.indent + 2)}`) + trailer
    }
    return quote(s) + trailer
  }
  if (typeof v === 'number') return formatNumber(v)
  if (typeof v === 'bigint') return `${v}n`
  if (typeof v === 'symbol') return v.toString()
  return String(v) // boolean, undefined, null
}

/** Name of the nearest constructor on the prototype chain, read without invoking getters. */
function ctorName(v: object): string | null {
  for (let p: object | null = v; p; p = getPrototypeOf(p)) {
    const c = desc(p, 'constructor')?.value
    const name = typeof c === 'function' ? desc(c, 'name')?.value : undefined
    if (typeof name === 'string' && name) return name
  }
  return null
}

/** A data property's value found on v or its prototypes (accessors are skipped). */
function dataValue(v: object, key: string): unknown {
  for (let p: object | null = v, i = 0; p && i < 50; p = getPrototypeOf(p), i++) {
    const d = desc(p, key)
    if (d) return 'value' in d ? d.value : undefined
  }
  return undefined
}

export function inspect(value: unknown, depth = DEPTH): string {
  const ctx: Ctx = { seen: [], circular: new Map(), nodes: 0, len: 0, indent: 0, cur: 0, depth }
  return cap(formatValue(value, 0, ctx))
}

const cap = (s: string) => (s.length > MAX_OUTPUT ? s.slice(0, MAX_OUTPUT) + '…' : s)

function formatValue(v: unknown, level: number, ctx: Ctx): string {
  if (++ctx.nodes > MAX_NODES || ctx.len > MAX_OUTPUT) return '…'
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    const s = formatPrimitive(v, ctx)
    ctx.len += s.length
    return s
  }
  if (ctx.seen.includes(v)) {
    let n = ctx.circular.get(v)
    if (n === undefined) ctx.circular.set(v, (n = ctx.circular.size + 1))
    return `[Circular *${n}]`
  }
  const indent = ctx.indent
  try {
    ctx.seen.push(v)
    const s = formatObject(v, level, ctx)
    const n = ctx.circular.get(v)
    return n === undefined ? s : `<ref *${n}> ${s}`
  } catch {
    return '[object (inaccessible)]'
  } finally {
    ctx.seen.pop()
    ctx.indent = indent
  }
}

function formatObject(v: object, level: number, ctx: Ctx): string {
  const name = ctorName(v)
  const prefix = (fallback: string, size = '') => (name === null ? `[${fallback}${size}: null prototype] ` : name === fallback && !size ? '' : `${name}${size} `)
  let braces = ['{', '}']
  let base = ''
  let isArrayLike = false
  let entries: ((ctx: Ctx) => string[]) | null = null
  let empty = false
  const skipIndexKeys = (n: number) => (n <= 1000 ? (k: string) => !/^(0|[1-9]\d*)$/.test(k) : null)
  let keyFilter: ((k: string) => boolean) | null | undefined

  const ta = call(typedArrayTag, v) as string | undefined
  const view = inspectViews.get(getPrototypeOf(v) as object)?.(v) as Record<string, unknown> | [unknown, unknown][] | undefined
  if (view) {
    // our platform classes (Headers, URL, Response...): fields from private state
    braces = [`${name} {`, '}']
    const fields = Array.isArray(view) ? [] : Object.keys(view)
    empty = (Array.isArray(view) ? view : fields).length === 0
    keyFilter = k => !fields.includes(k)
    entries = ctx => Array.isArray(view)
      ? view.map(([k, x]) => `${formatValue(k, level + 1, ctx)} => ${formatValue(x, level + 1, ctx)}`)
      : fields.map(k => formatProperty(view, k, level, ctx))
  } else if (Array.isArray(v)) {
    const len = v.length
    braces = [`${prefix('Array', name === 'Array' ? '' : `(${len})`)}[`, ']']
    isArrayLike = true
    empty = len === 0
    keyFilter = skipIndexKeys(len)
    entries = ctx => formatArray(v, len, level, ctx)
  } else if (ta) {
    const arr = v as unknown as ArrayLike<number | bigint>
    const len = call(typedArrayLength, v) as number
    braces = [`${name ?? ta}(${len}) [`, ']']
    isArrayLike = true
    empty = len === 0
    keyFilter = skipIndexKeys(len)
    entries = ctx => listWithMore(len, i => { const x = arr[i]!; const s = typeof x === 'bigint' ? `${x}n` : formatNumber(x); ctx.len += s.length; return s })
  } else if (typeof v === 'function') {
    const src = tryCall(Function.prototype.toString, v) as string | undefined
    const fname = desc(v, 'name')?.value
    const kind = fnKinds.get(getPrototypeOf(v)) ?? 'Function'
    if (src?.startsWith('class') && /^class\b/.test(src)) {
      const ext = /^class\s*[\w$]*\s+extends\s+([\w$.]+)/.exec(src.slice(0, 300))
      base = `[class ${typeof fname === 'string' && fname ? fname : '(anonymous)'}${ext ? ` extends ${ext[1]}` : ''}]`
    } else {
      base = `[${kind}${typeof fname === 'string' && fname ? `: ${fname}` : ' (anonymous)'}]`
    }
    if (name === null) base = base.replace(/^\[(\w+)/, '[$1 (null prototype)')
  } else if (isError(v)) {
    base = formatError(v as Error, ctx)
  } else if (tryCall(Date.prototype.getTime, v) !== undefined) {
    const t = call(Date.prototype.getTime, v) as number
    base = Number.isNaN(t) ? 'Invalid Date' : call(Date.prototype.toISOString, v)
  } else if (v !== RegExp.prototype && tryCall(getter(RegExp.prototype, 'source'), v) !== undefined) {
    base = `/${call(getter(RegExp.prototype, 'source'), v)}/${reGetters.map((g, i) => (g && call(g, v) ? 'dgimsuvy'[i] : '')).join('')}`
  } else if (tryCall(mapSize, v) !== undefined) {
    const size = call(mapSize, v) as number
    braces = [`${prefix('Map', `(${size})`)}{`, '}']
    empty = size === 0
    entries = ctx => collection(call(Map.prototype.entries, v), size, ([k, val]: [unknown, unknown]) =>
      `${formatValue(k, level + 1, ctx)} => ${formatValue(val, level + 1, ctx)}`, ctx)
  } else if (tryCall(setSize, v) !== undefined) {
    const size = call(setSize, v) as number
    braces = [`${prefix('Set', `(${size})`)}{`, '}']
    empty = size === 0
    entries = ctx => collection(call(Set.prototype.values, v), size, (k: unknown) => formatValue(k, level + 1, ctx), ctx)
  } else if (tryCall(abLength, v) !== undefined) {
    const bytes = new Uint8Array(v as ArrayBuffer, 0, Math.min(MAX_ITEMS, call(abLength, v)))
    const len = call(abLength, v) as number
    const hex = [...bytes].map(b => b.toString(16).padStart(2, '0')).join(' ')
    braces = [`${name ?? '[ArrayBuffer: null prototype]'} {`, '}']
    entries = () => [`[Uint8Contents]: <${hex}${len > MAX_ITEMS ? ` ${more(len - MAX_ITEMS, 'byte')}` : ''}>`, `[byteLength]: ${len}`]
  } else if (tryCall(dvGetters[0]!, v) !== undefined) {
    braces = [`${name ?? '[DataView: null prototype]'} {`, '}']
    entries = ctx => ['byteLength', 'byteOffset', 'buffer'].map((k, i) => `[${k}]: ${formatValue(call(dvGetters[i]!, v), level + 1, ctx)}`)
  } else {
    const boxed = boxedPrimitive(v)
    if (boxed) {
      base = `[${boxed[0]}${name === null ? ' (null prototype)' : ''}: ${formatPrimitive(boxed[1], ctx)}]`
      if (typeof boxed[1] === 'string') keyFilter = skipIndexKeys(boxed[1].length)
    }
    else {
      braces = [`${prefix('Object')}{`, '}']
      const tag = Object.prototype.toString.call(v)
      if (tag === '[object Promise]') entries = () => ['<unknown>']
      else if (tryCall(WeakMap.prototype.has, v) !== undefined || tryCall(WeakSet.prototype.has, v) !== undefined) entries = () => ['<items unknown>']
    }
  }

  // own enumerable keys (strings, then symbols); arrays and typed arrays skip their indices
  const keys = keyFilter === null ? [] : ownKeys(v).filter(k => desc(v, k)?.enumerable && (typeof k !== 'string' || !keyFilter || keyFilter(k)))
  if (isError(v)) keys.push(...(desc(v, 'cause') && !keys.includes('cause') ? ['cause'] : []))
  ctx.len += base.length
  if (!entries && keys.length === 0) return base || `${braces[0]}}`
  if (empty && keys.length === 0) return `${braces[0]}${braces[1]}`
  if (level > ctx.depth) return name === null ? '[Object: null prototype]' : `[${name}]`

  ctx.cur = level
  ctx.indent += 2
  const output = entries ? entries(ctx) : []
  for (const k of keys) {
    if (ctx.nodes > MAX_NODES || ctx.len > MAX_OUTPUT) { output.push('…'); break }
    output.push(formatProperty(v, k, level, ctx))
  }
  ctx.indent -= 2
  return reduce(output, base, braces, isArrayLike, level, ctx, v)
}

function boxedPrimitive(v: object): [string, unknown] | null {
  for (const [n, P] of [['Number', Number], ['String', String], ['Boolean', Boolean], ['BigInt', BigInt], ['Symbol', Symbol]] as const) {
    try { return [n, call(P.prototype.valueOf, v)] } catch {}
  }
  return null
}

function formatError(e: Error, ctx: Ctx): string {
  const d = desc(e, 'stack')
  let stack = d && ('value' in d ? d.value : d.get === stackGetter && stackGetter ? tryCall(stackGetter, e) : undefined)
  if (typeof stack !== 'string' || !stack) {
    const n = dataValue(e, 'name'), m = dataValue(e, 'message')
    stack = `[${typeof n === 'string' ? n : 'Error'}${m ? `: ${String(m)}` : ''}]`
  }
  return ctx.indent ? stack.replace(/\n/g, `\n${' '.repeat(ctx.indent)}`) : stack
}

function listWithMore(len: number, item: (i: number) => string): string[] {
  const out: string[] = []
  for (let i = 0; i < Math.min(len, MAX_ITEMS); i++) out.push(item(i))
  if (len > MAX_ITEMS) out.push(more(len - MAX_ITEMS))
  return out
}

function formatArray(a: unknown[], len: number, level: number, ctx: Ctx): string[] {
  const out: string[] = []
  let i = 0
  while (i < len && out.length < MAX_ITEMS) {
    if (ctx.nodes > MAX_NODES || ctx.len > MAX_OUTPUT) { out.push('…'); return out }
    const d = desc(a, i)
    if (d) { out.push(propertyValue(d, level, ctx)); i++; continue }
    // a run of holes: probe ahead a little, then ask for the (few, in a sparse array) real keys
    let j = i + 1
    while (j < len && j < i + 1000 && !desc(a, j)) j++
    if (j === i + 1000) j = Math.min(len, ...Object.keys(a).map(Number).filter(k => Number.isInteger(k) && k > i))
    out.push(`<${j - i} empty item${j - i > 1 ? 's' : ''}>`)
    i = j
  }
  if (i < len) out.push(more(len - i))
  return out
}

function collection(iter: Iterator<any>, size: number, fmt: (x: any) => string, ctx: Ctx): string[] {
  const out: string[] = []
  for (let r = iter.next(); !r.done && out.length < MAX_ITEMS; r = iter.next()) {
    if (ctx.nodes > MAX_NODES || ctx.len > MAX_OUTPUT) { out.push('…'); return out }
    out.push(fmt(r.value))
  }
  if (size > MAX_ITEMS) out.push(more(size - MAX_ITEMS))
  return out
}

function propertyValue(d: PropertyDescriptor, level: number, ctx: Ctx): string {
  if ('value' in d) return formatValue(d.value, level + 1, ctx)
  return d.get ? (d.set ? '[Getter/Setter]' : '[Getter]') : d.set ? '[Setter]' : 'undefined'
}

function formatProperty(v: object, key: string | symbol, level: number, ctx: Ctx): string {
  const d = desc(v, key)
  const str = d ? propertyValue(d, level, ctx) : 'undefined'
  const name = typeof key === 'symbol' ? key.toString()
    : key === '__proto__' ? "['__proto__']"
    : d && !d.enumerable ? `[${key}]`
    : /^[a-zA-Z_][a-zA-Z_0-9]*$/.test(key) ? key : quote(key)
  return `${name}: ${str}`
}

/** console.log's formatting: printf-style placeholders in a leading string, then the rest joined by spaces. */
export function formatArgs(args: unknown[]): string {
  const first = args[0]
  let a = 0, out = '', join = ''
  if (typeof first === 'string') {
    if (args.length === 1) return cap(first)
    let last = 0
    for (let i = 0; i < first.length - 1; i++) {
      if (first.charCodeAt(i) !== 37) continue
      const c = first[++i]
      if (a + 1 !== args.length) {
        let s: string
        if (c === '%') { out += first.slice(last, i); last = i + 1; continue }
        const arg = args[a + 1]
        switch (c) {
          case 's':
            s = typeof arg === 'string' ? arg
              : typeof arg === 'function' ? String(tryCall(Function.prototype.toString, arg))
              : typeof arg === 'object' && arg !== null ? inspect(arg, 0) : formatPrimitive(arg, null as unknown as Ctx)
            break
          case 'd': case 'i': case 'f':
            // objects print NaN: converting them would run user valueOf/toString
            s = typeof arg === 'bigint' ? (c === 'f' ? formatNumber(Number(arg)) : `${arg}n`)
              : typeof arg === 'symbol' || typeof arg === 'function' || (typeof arg === 'object' && arg !== null) ? 'NaN'
              : formatNumber(c === 'd' ? Number(arg) : c === 'i' ? parseInt(String(arg)) : parseFloat(String(arg)))
            break
          case 'j': s = json(arg); break
          case 'O': s = inspect(arg); break
          case 'o': s = inspect(arg, 4); break
          case 'c': s = ''; break
          default: continue
        }
        a++
        if (last !== i - 1) out += first.slice(last, i - 1)
        out += s
        last = i + 1
      } else if (c === '%') {
        out += first.slice(last, i)
        last = i + 1
      }
    }
    if (last !== 0) {
      a++
      join = ' '
      if (last < first.length) out += first.slice(last)
    }
  }
  for (; a < args.length && out.length <= MAX_OUTPUT; a++) {
    const v = args[a]
    out += join + (typeof v === 'string' ? v : inspect(v))
    join = ' '
  }
  return cap(out)
}

/** %j is JSON by definition (toJSON and getters do run); circular values print [Circular]. */
function json(v: unknown): string {
  try {
    return String(JSON.stringify(v))
  } catch (e) {
    return e instanceof TypeError && /circular/i.test(e.message) ? '[Circular]' : '[object (inaccessible)]'
  }
}
