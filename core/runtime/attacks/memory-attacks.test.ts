import { describe, expect, it } from 'vitest'
import { json } from '../runtime.test-helper.ts'
import { peakRss, useAttackRuntime } from './attack.test-helper.ts'

const { rt, attack } = useAttackRuntime()

/** Documented in docs/security.md: a worker stays within its baseline plus this many times memoryMb. */
const MEMORY_FACTOR = 3
const MEMORY_MB = 64

async function withinFactor(code: string, expected: Parameters<typeof attack>[1], id: string) {
  await rt.run(`export default () => 'warm'`, {}, { id })
  const worker = rt.runtime.workerFor(id)
  const before = (await rt.runtime.stats()).find((s) => s.pid === worker.pid)!.rssBytes
  const { peakBytes } = await peakRss(worker.pid!, () => attack(code, expected, { id, memoryMb: MEMORY_MB, timeoutMs: 5000 }))
  expect(peakBytes - before).toBeLessThan(MEMORY_FACTOR * MEMORY_MB * 1024 * 1024)
}

describe('memory attacks stay within memoryMb times a small factor', () => {
  it('growing the heap with objects', () => withinFactor(`const keep = []\nexport default () => { for (;;) keep.push({ a: Math.random(), b: [1, 2, 3] }) }`, 'memory_limit', 'mem-objects'))
  it('growing ArrayBuffers', () => withinFactor(`const keep = []\nexport default () => { for (;;) keep.push(new ArrayBuffer(1 << 20)) }`, 'memory_limit', 'mem-buffers'))
  it('growing typed arrays', () => withinFactor(`const keep = []\nexport default () => { for (;;) keep.push(new Float64Array(1 << 17).fill(1)) }`, 'memory_limit', 'mem-typed'))
  it('growing strings', () => withinFactor(`const keep = []\nexport default () => { for (let i = 0; ; i++) keep.push('x'.repeat(1 << 20) + i) }`, 'memory_limit', 'mem-strings'))
  it('one huge allocation', () => withinFactor(`export default () => String(new Uint8Array(1024 * 1024 * 1024).length)`, 'memory_limit', 'mem-huge'))

  it('a small object graph that expands when serialised is cut off inside the isolate', async () => {
    // JSON encoding runs in the isolate under its deadline and memory limit; nothing is copied out first.
    await attack(`export default () => { let x = { v: 'y'.repeat(100) }; for (let i = 0; i < 40; i++) x = { a: x, b: x }; return { statusCode: 200, body: x } }`, 'timeout')
  })

  it('the same graph logged to the console is formatted within the console caps', async () => {
    const result = await attack(`export default () => { let x = { v: 1 }; for (let i = 0; i < 40; i++) x = { a: x, b: x }; console.log(x); return 'logged' }`, 'ok')
    expect(result.console[0]!.message.length).toBeLessThan(20_000)
  })

  it('a huge error message or stack is truncated before it leaves the isolate', async () => {
    const result = await attack(`export default () => { const e = new Error('m'.repeat(50e6)); e.stack = 's'.repeat(50e6); throw e }`, 'runtime_error', { memoryMb: 256 })
    expect(result.error!.message.length).toBeLessThan(10_000)
    expect((result.error!.stack ?? '').length).toBeLessThan(40_000)
  })

  it('a patched String.prototype.slice cannot lift the caps', async () => {
    const result = await attack(
      `export default () => { String.prototype.slice = function () { return this }; console.log('z'.repeat(5e6)); throw new Error('q'.repeat(5e6)) }`,
      'runtime_error',
      { memoryMb: 256 },
    )
    expect(result.console[0]!.message.length).toBeLessThan(20_000)
    expect(result.error!.message.length).toBeLessThan(10_000)
  })
})

describe('stack overflow', () => {
  it('is a runtime_error', async () => {
    const result = await attack(`function f() { return f() + 1 }\nexport default () => f()`, 'runtime_error')
    expect(result.error?.message).toBe('RangeError: Maximum call stack size exceeded')
  })

  it('is a runtime_error when the function catches it, retries, and lets it through', async () => {
    await attack(`function f() { return f() + 1 }\nexport default () => { for (let i = 0; i < 100; i++) { try { f() } catch {} }\nreturn f() }`, 'runtime_error')
  })

  it('near the stack limit, calls into the platform fail as catchable errors, never as crashes', async () => {
    // Each level catches the overflow and calls console, Headers and URL; deep levels overflow again,
    // shallower ones succeed, so the function ends normally.
    const result = await attack(
      `function deep(n) { try { return deep(n + 1) } catch { console.log('at depth', n); return JSON.stringify([...new Headers({ a: '1' })]) + new URL('http://x/').href } }\nexport default () => deep(0)`,
      'ok',
    )
    expect(result.console.some((line) => line.message.startsWith('at depth'))).toBe(true)
  })

  it('an overflow inside the response getters is a runtime_error', async () => {
    await attack(`export default () => ({ get statusCode() { return this.statusCode } })`, 'runtime_error')
  })
})

describe('a memory attack costs only its own isolate', () => {
  it('other functions in the same worker keep their warm state', async () => {
    await rt.run(`let n = 0\nexport default () => String(++n)`, {}, { id: 'neighbour' })
    await rt.run(`const keep = []\nexport default () => { for (;;) keep.push(new ArrayBuffer(1 << 20)) }`, {}, { id: 'neighbour-hog', memoryMb: 64 })
    const after = await rt.run(`let n = 0\nexport default () => String(++n)`, {}, { id: 'neighbour' })
    expect(json({ ...after, response: { ...after.response, body: new TextEncoder().encode(JSON.stringify(new TextDecoder().decode(after.response.body))) } })).toBe('2')
  })
})
