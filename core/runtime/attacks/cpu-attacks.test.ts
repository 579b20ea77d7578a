import { describe, it } from 'vitest'
import { useAttackRuntime } from './attack.test-helper.ts'

const { attack } = useAttackRuntime()

describe('CPU and deadline attacks end by the deadline with the right outcome', () => {
  it('sync infinite loop', () => attack(`export default () => { for (;;) {} }`, 'timeout'))
  it('await loop through the host bridge', () => attack(`export default async () => { for (;;) await new Promise((r) => setTimeout(r, 0)) }`, 'timeout'))
  it('never-settling promise', () => attack(`export default () => new Promise(() => {})`, 'timeout'))
  it('microtask flood that keeps going after the handler returned', () =>
    attack(`export default () => { const spin = () => Promise.resolve().then(spin); spin(); return 'returned' }`, 'memory_limit'))
  it('microtask loop without allocation after returning', () =>
    attack(`export default () => { let p = Promise.resolve(); (function spin() { p.then(spin) })(); return 'returned' }`, 'timeout'))
  it('huge promise fan-out', () => attack(`export default () => Promise.all(Array.from({ length: 1e7 }, () => new Promise(() => {})))`, 'memory_limit'))
  it('catastrophic regex backtracking', () => attack(`export default () => String(/^(a+)+$/.test('a'.repeat(64) + 'b'))`, 'timeout'))
  // The worker cannot interrupt this fill: the supervisor answers at the deadline plus grace and replaces the worker.
  it('long uninterruptible builtin: huge fill', () => attack(`export default () => String(new Array(2e8).fill(1.5).length)`, 'timeout', { memoryMb: 512, timeoutMs: 1000 }))
  it('long builtin: huge join', () => attack(`export default () => { const a = new Array(5e6).fill('abcdefgh'); for (;;) a.join(',') }`, 'timeout', { memoryMb: 256 }))
  it('long builtin: spread of a huge array', () => attack(`export default () => { const a = new Array(3e6).fill(0); for (;;) Math.max(...a) }`, 'runtime_error', { memoryMb: 256 }))
  it('long builtin: JSON.parse of a huge document', () =>
    attack(`export default () => { const s = '[' + '1,'.repeat(5e6) + '1]'; for (;;) JSON.parse(s) }`, 'timeout', { memoryMb: 256 }))
  it('top-level code that loops forever', () => attack(`for (;;) {}\nexport default () => 'never'`, 'timeout'))
  it('top-level await that never settles', () => attack(`await new Promise(() => {})\nexport default () => 'never'`, 'timeout'))
  it('a getter in the returned value that hangs', () => attack(`export default () => ({ get statusCode() { for (;;) {} } })`, 'timeout'))
  it('toJSON in the body that hangs', () => attack(`export default () => ({ statusCode: 200, body: { toJSON() { for (;;) {} } } })`, 'timeout'))
  it('Symbol.toPrimitive in a header value that hangs', () =>
    attack(`export default () => ({ statusCode: 200, headers: { x: { [Symbol.toPrimitive]() { for (;;) {} } } } })`, 'invalid_response'))
  it('a Proxy whose traps hang', () => attack(`export default () => new Proxy({}, { has() { for (;;) {} }, get() { for (;;) {} } })`, 'timeout'))
  it('a value that answers differently on a second read is read once', async () => {
    const result = await attack(
      `export default () => { let reads = 0; return { get statusCode() { return ++reads === 1 ? 200 : 999 }, body: 'x' } }`,
      'ok',
    )
    if (result.response.statusCode !== 200) throw new Error(`status was read twice: ${result.response.statusCode}`)
  })
})
