import { afterAll, describe, expect, it } from 'vitest'
import { createGuest, same } from './guest.test-helper.ts'

declare const err: (f: () => unknown) => string
const guest = createGuest()
afterAll(() => guest.dispose())

describe('structuredClone (compared with Node)', () => {
  it('clones primitives, wrappers, Date, RegExp, Map, Set and plain data', async () => {
    const [g, n] = await same(guest, () => {
      const d = (v: unknown): unknown => {
        if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : v
        const t = Object.prototype.toString.call(v)
        if (v instanceof Map) return [t, [...v].map(([k, x]) => [d(k), d(x)])]
        if (v instanceof Set) return [t, [...v].map(d)]
        if (v instanceof Date) return [t, v.getTime()]
        if (v instanceof RegExp) return [t, v.source, v.flags, v.lastIndex]
        if (Array.isArray(v)) return [t, v.length, Object.keys(v), v.map(d)]
        return [t, Object.getPrototypeOf(v) === Object.prototype, Object.entries(v).map(([k, x]) => [k, d(x)]), String((v as any).valueOf?.())]
      }
      class Foo { x = 1; get y() { return 2 } m() {} }
      const re = /a+b/gimsuy; re.lastIndex = 3
      const sparse = [1, , 3]; (sparse as any).extra = 'e'
      const values = [1, -0, NaN, Infinity, 'str', true, null, undefined, 10n, Object(1), Object('s'), Object(false), Object(5n),
        new Date(0), new Date(NaN), re, new Map<unknown, unknown>([[{ k: 1 }, [2]], ['a', new Set([1])]]), new Set(['x', 2]), sparse,
        { a: { b: [1, { c: 'd' }] } }, new Foo(), Object.create(null), { [Symbol('s')]: 1, v: 2 }, Object.defineProperty({}, 'hidden', { value: 1 })]
      return values.map(v => d(structuredClone(v)))
    })
    expect(g).toEqual(n)
  })

  it('preserves cycles and shared references', async () => {
    const [g, n] = await same(guest, () => {
      const shared = { s: 1 }
      const o: any = { a: shared, b: shared, list: [shared] }
      o.self = o
      const m = new Map(); m.set(m, m)
      const c = structuredClone(o)
      const cm = structuredClone(m)
      return [c !== o, c.self === c, c.a === c.b, c.list[0] === c.a, c.a !== shared, cm.get(cm) === cm]
    })
    expect(g).toEqual(n)
  })

  it('clones binary data with shared buffers and offsets', async () => {
    const [g, n] = await same(guest, () => {
      const buf = new ArrayBuffer(8)
      new Uint8Array(buf).set([1, 2, 3, 4, 5, 6, 7, 8])
      const o = { u8: new Uint8Array(buf, 2, 3), f: new Float64Array(1), dv: new DataView(buf, 4, 2), buf, big: new BigInt64Array([5n]) }
      const c = structuredClone(o)
      const rab = new (ArrayBuffer as any)(2, { maxByteLength: 16 })
      const crab = structuredClone(rab)
      return [c.u8.buffer === c.buf, c.dv.buffer === c.buf, c.buf !== buf, [...c.u8], c.u8.byteOffset, c.dv.byteOffset, c.dv.byteLength,
        c.big[0] === 5n, c.f.constructor.name, crab.resizable, crab.maxByteLength, [...new Uint8Array(c.buf)]]
    })
    expect(g).toEqual(n)
  })

  it('clones errors: standard names kept, others become Error; stack, message and cause kept', async () => {
    const [g, n] = await same(guest, () => {
      class MyErr extends RangeError {}
      const custom = new TypeError('t'); custom.name = 'Custom'
      const withCause = new Error('outer', { cause: { inner: new SyntaxError('in') } })
      const noMsg = new Error()
      return [new Error('e'), new EvalError('ev'), new RangeError('r'), new ReferenceError('rf'), new SyntaxError('s'), new URIError('u'), new MyErr('my'),
        custom, withCause, noMsg, Object.assign(new Error('p'), { extra: 1 })].map(e => {
        const c = structuredClone(e) as any
        return [c.constructor.name, c.name, c.message, c.stack === e.stack, 'message' in c, Object.hasOwn(c, 'message'), c.cause?.inner?.name, c.cause?.inner?.message, c.extra, c instanceof Error]
      })
    })
    expect(g).toEqual(n)
  })

  it('throws DataCloneError for uncloneable values', async () => {
    const [g, n] = await same(guest, () => {
      const bad = [() => 1, Symbol('s'), new WeakMap(), new WeakSet(), Promise.resolve(), { f() {} }, [Symbol.iterator], new WeakRef({})]
      const e = (() => { try { structuredClone(() => 1) } catch (x) { return x as any } })()
      return [bad.map(v => err(() => structuredClone(v))), e.code, e instanceof DOMException, err(() => (structuredClone as any)())]
    })
    expect(g).toEqual(n)
  })

  it('invokes getters once and drops accessors / prototypes', async () => {
    const [g, n] = await same(guest, () => {
      let calls = 0
      const o = { get g() { calls++; return { n: calls } } }
      const c = structuredClone(o) as any
      const d = Object.getOwnPropertyDescriptor(c, 'g')!
      return [calls, c.g, 'value' in d, d.enumerable, d.writable]
    })
    expect(g).toEqual(n)
  })

  it('transfers ArrayBuffers (source detached) and validates the transfer list', async () => {
    const [g, n] = await same(guest, () => {
      const buf = new Uint8Array([1, 2, 3]).buffer
      const view = new Uint8Array(buf, 1)
      const c = structuredClone({ buf, view }, { transfer: [buf] })
      const b2 = new ArrayBuffer(1)
      const failed = err(() => structuredClone({ b2, f: () => 1 }, { transfer: [b2] }))
      return [buf.byteLength, (buf as any).detached, c.buf.byteLength, [...c.view], c.view.buffer === c.buf, failed, b2.byteLength,
        err(() => structuredClone(1, { transfer: [{} as any] })), err(() => structuredClone(1, { transfer: [b2, b2] })),
        err(() => structuredClone(buf, { transfer: [] })), err(() => structuredClone(1, { transfer: [buf] }))]
    })
    expect(g).toEqual(n)
  })
})
