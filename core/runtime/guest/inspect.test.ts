import { format } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { createGuest } from './guest.test-helper.ts'

const guest = createGuest()
afterAll(() => guest.dispose())

/** Each case is JS source for an argument list; the guest's formatArgs must equal Node's util.format. */
function compare(cases: string[]) {
  for (const src of cases) {
    const inGuest = guest.run<string>(`formatArgs((() => ${src})())`)
    const inNode = format(...((0, eval)(`(() => ${src})()`) as unknown[]))
    expect(inGuest, src).toBe(inNode)
  }
}
const inGuest = (src: string) => guest.run<string>(`formatArgs((() => ${src})())`)

describe('formatArgs (compared with Node util.format)', () => {
  it('primitives and strings', () => {
    compare([
      `['plain']`, `['a', 'b', 1]`, `[1, -0, NaN, 1e21, 10n, true, null, undefined, Symbol('s'), Symbol()]`,
      `[['it\\'s', 'say "hi"', 'both \\' " q', 'all \\' " \` q', 'back\\\\slash', 'nl\\nx', '\\x00\\x1b\\x7f', 'é😀', '\\ud800']]`,
      `[{ s: 'multi\\nline string that is long enough to be split over several lines\\nsecond line\\nthird' }]`,
      `[['x'.repeat(10005)]]`, `[{ 'a-b': 1, valid_1: 2, '1a': 3, __proto__x: 4, ['__proto__']: 5, '': 6 }]`,
    ])
  })

  it('printf-style placeholders', () => {
    compare([
      `['%s|%s|%s|%s|%s', 'str', 42, -0, 5n, Symbol('q')]`, `['%s %s', null, undefined]`, `['%s', { a: { b: { c: 1 } } }]`, `['%s', [1, [2, [3]]]]`,
      `['%d|%d|%d|%d|%d|%d', 42, '42', '4x', 5n, -0, null]`, `['%i|%i|%i|%i', 42.9, '42.9px', 7n, 'x']`, `['%f|%f|%f', '1.5x', 2, 3n]`,
      `['%j', { a: [1, 'x'] }]`, `['%j', (() => { const o = {}; o.o = o; return o })()]`, `['%O', { a: { b: { c: { d: 1 } } } }]`,
      `['%c styled', 'color: red']`, `['100%% sure %s', 'yes']`, `['%s and %s', 'one']`, `['%x %s', 'a']`, `['%', 1]`, `['a%', 1]`,
      `['%s', 'a', 'extra', { k: 1 }]`, `[1, '%s', 2]`, `['%%']`, `['%% %s']`, `['%s', () => 1]`,
    ])
  })

  it('objects, arrays, nesting and line breaking', () => {
    compare([
      `[{}]`, `[[]]`, `[{ a: 1, b: 'x' }]`, `[[1, 2, 3]]`, `[{ a: { b: { c: { d: 1 } } } }]`, `[{ a: [[[[1]]]] }]`,
      `[{ a: { b: { c: {} } } }]`, `[[[[[]]]]]`, `[{ arr: [1, 2, 3], nested: { x: [4, 5, { deep: true }] } }]`,
      `[Array.from({ length: 7 }, (_, i) => i)]`, `[Array.from({ length: 30 }, (_, i) => i * 37)]`, `[Array.from({ length: 150 }, (_, i) => i)]`,
      `[Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i).repeat(i % 5 + 1))]`, `[[1, , 3, , , 6]]`, `[new Array(5)]`,
      `[Object.assign([1, 2], { extra: 'x' })]`, `[{ long: 'x'.repeat(60), other: 'y'.repeat(30) }]`,
      `[Array.from({ length: 12 }, (_, i) => ({ id: i, name: 'item' + i }))]`, `[{ [Symbol('k')]: 1, [Symbol.iterator]: 2 }]`,
      `[Object.create(null)]`, `[Object.assign(Object.create(null), { a: 1 })]`, `[{ a: Object.create(null) }]`,
      `[Array.from({ length: 8 }, (_, i) => [i, i * 2])]`, `[{ a: [1, 2, 3, 4, 5, 6, 7], b: Array.from({ length: 40 }, (_, i) => 'w' + i) }]`,
      `[[1.5, -2, 300000, 4, 5, 6, 7, 8, 9, 10, 11]]`, `[[true, false, null, undefined, 1, 'a', 2n, 3]]`, `[{ x: [{ y: [{ z: [1] }] }] }]`,
      `[[{ a: 1, b: 2 }, { a: 3, b: 4 }], 'tail', { t: 1 }]`, `[Array.from({ length: 101 }, (_, i) => 'item' + i)]`, `[{ a: 1, b: { c: 2, d: { e: 3, f: { g: 4 } } } }]`,
    ])
  })

  it('class instances, builtins and functions', () => {
    compare([
      `[new (class Foo { x = 1 })()]`, `[new (class Bar {})()]`, `[new (class extends Array {})(3)]`,
      `[function named() {}, () => {}, async function af() {}, function* gen() {}, async function* ag() {}, class K {}, class L extends Object {}]`,
      `[Object.assign(function f() {}, { prop: 1 })]`, `[{ fn() {}, arrow: () => 1 }]`, `[Math.max]`, `[(function(){}).bind(null)]`,
      `[new Map([['a', 1], [{ k: 1 }, [2]]])]`, `[new Set([1, 'two', [3]])]`, `[new Map()]`, `[new Set()]`, `[{ m: new Map([[1, new Map([[2, 3]])]]) }]`,
      `[new Date(0)]`, `[new Date(NaN)]`, `[/re+gex/gimsuy]`, `[Object.assign(/x/, { k: 1 })]`,
      `[new Uint8Array([1, 2, 300])]`, `[new Float64Array(2)]`, `[new BigInt64Array([1n, -2n])]`, `[new Uint8Array(0)]`, `[new Int16Array(120)]`,
      `[new ArrayBuffer(3)]`, `[new DataView(new ArrayBuffer(4), 1, 2)]`, `[new ArrayBuffer(200)]`, `[new Uint8Array([1,2]).buffer]`, `[Object(1), Object('str'), Object(true), Object(5n), Object(Symbol('w'))]`,
      `[new WeakMap(), new WeakSet()]`, `[{ big: 123n, neg: -0 }]`,
    ])
  })

  it('platform objects show their state (from private fields)', () => {
    compare([
      `[new Headers({ a: '1', 'x-b': 'two' }), new Headers()]`, `[new URLSearchParams('a=1&b=2&a=3'), new URLSearchParams()]`,
      `[new URL('http://u:p@a.com:81/p?q=1#h')]`,
      `[new TextDecoder('utf8', { fatal: true })]`,
    ])
    expect(inGuest(`[new Response('x', { status: 201 })]`)).toBe(`Response {
  status: 201,
  statusText: '',
  headers: Headers { 'content-type': 'text/plain;charset=UTF-8' },
  body: null,
  bodyUsed: false,
  ok: true,
  redirected: false,
  type: 'default',
  url: ''
}`)
    expect(inGuest(`[Object.defineProperty(new Request('http://a.com/'), 'path', { value: '/', enumerable: true })]`))
      .toBe(`Request {
  method: 'GET',
  url: 'http://a.com/',
  headers: Headers {},
  bodyUsed: false,
  redirect: 'follow',
  path: '/'
}`)
  })

  it('getters are shown, never invoked', () => {
    compare([`[{ get a() { throw new Error('no') }, set b(v) {}, get c() { return 1 }, set c(v) {} }]`])
    expect(inGuest(`[new (class { get x() { throw 1 } })()]`)).toBe('{}')
  })

  it('circular references', () => {
    compare([
      `[(() => { const o = { name: 'o' }; o.self = o; return o })()]`,
      `[(() => { const a = [1]; a.push(a); return a })()]`,
      `[(() => { const a = { b: {} }; a.b.a = a; a.b.b = a.b; return a })()]`,
      `[(() => { const m = new Map(); m.set('m', m); return m })()]`,
    ])
  })

  it('errors print their stack, extra properties and cause', () => {
    const out = inGuest(`[new TypeError('boom')]`)
    expect(out.split('\n')[0]).toBe('TypeError: boom')
    expect(out).toMatch(/\n {4}at /)
    expect(inGuest(`[Object.assign(new Error('x'), { code: 'E_X' })]`)).toMatch(/^Error: x\n[^]*\{\n  code: 'E_X'\n\}$/)
    expect(inGuest(`[new Error('outer', { cause: 'why' })]`)).toMatch(/\{\n  \[cause\]: 'why'\n\}$/)
    expect(inGuest(`[{ e: (() => { const e = new Error('n'); e.stack = 'Error: n\\n    at f (x.js:1:1)'; return e })() }]`)).toBe('{\n  e: Error: n\n      at f (x.js:1:1)\n}')
    expect(inGuest(`[(() => { const e = new Error('m'); Object.defineProperty(e, 'stack', { get() { throw 1 } }); return e })()]`)).toBe('[Error: m]')
  })

  it('never throws or runs user code on hostile input', () => {
    const hostile = [
      `new Proxy({}, { ownKeys() { throw new Error('trap') } })`,
      `new Proxy({}, { getPrototypeOf() { throw new Error('trap') } })`,
      `(() => { const { proxy, revoke } = Proxy.revocable({}, {}); revoke(); return proxy })()`,
      `{ toString() { throw 1 }, [Symbol.toPrimitive]() { throw 1 }, inspect() { throw 1 } }`,
      `Object.defineProperty({}, 'constructor', { get() { throw 1 } })`,
    ]
    const out = inGuest(`[${hostile.join(', ')}]`)
    expect(out).toContain('[object (inaccessible)]')
    expect(out.match(/inaccessible/g)!.length).toBe(3)
    expect(guest.run(`globalThis.called = 0; formatArgs(['%s %d %i', { toString() { called++ } }, { valueOf() { called++ } }, { [Symbol.toPrimitive]() { called++ } }]); called`)).toBe(0)
  })

  it('bounds work and output size', () => {
    const started = Date.now()
    const wide = inGuest(`[Object.fromEntries(Array.from({ length: 50000 }, (_, i) => ['k' + i, 'v'.repeat(50)]))]`)
    expect(wide.length).toBeLessThanOrEqual(16 * 1024 + 1)
    expect(wide.endsWith('…')).toBe(true)
    const deep = inGuest(`[(() => { let o = {}; for (let i = 0; i < 100000; i++) o = { o, a: [o, o] }; return o })()]`)
    expect(deep.length).toBeLessThan(16 * 1024 + 2)
    const huge = inGuest(`[new Array(2 ** 32 - 1), Object.assign(new Array(1e9), { 5: 'x', 500000000: 'y' })]`)
    expect(huge).toBe("[ <4294967295 empty items> ] [\n  <5 empty items>,\n  'x',\n  <499999994 empty items>,\n  'y',\n  <499999999 empty items>\n]")
    const many = inGuest(`Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x'.repeat(100) }))`)
    expect(many.length).toBeLessThanOrEqual(16 * 1024 + 1)
    expect(Date.now() - started).toBeLessThan(3000)
  })
})
