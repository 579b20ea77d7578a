import { describe, expect, it } from 'vitest'
import { json, text } from '../runtime.test-helper.ts'
import { useAttackRuntime } from './attack.test-helper.ts'

const { rt, attack } = useAttackRuntime()

describe('one function never reaches another', () => {
  it('env of one function is invisible to every other function', async () => {
    await attack(`export default () => 'a'`, 'ok', { id: 'iso-env-a', envVars: { SECRET: 'only-a' } })
    const b = await rt.run(
      `export default () => ({ statusCode: 200, body: { env: { ...env }, global: typeof SECRET, found: JSON.stringify(Object.getOwnPropertyNames(globalThis)).includes('only-a') } })`,
      {},
      { id: 'iso-env-b' },
    )
    expect(json(b)).toEqual({ env: {}, global: 'undefined', found: false })
  })

  it('builtin prototype pollution stays in the polluting function', async () => {
    await attack(
      `Object.prototype.isAdmin = true; JSON.parse = () => ({ hacked: true })
       export default () => { Array.prototype.includes = () => true; return 'polluted' }`,
      'ok',
      { id: 'iso-polluter' },
    )
    const clean = await rt.run(
      `export default async () => { await null; return { statusCode: 200, body: { admin: ({}).isAdmin ?? null, includes: [1].includes(2), parsed: JSON.parse('{"a":1}') } } }`,
      {},
      { id: 'iso-clean' },
    )
    expect(json(clean)).toEqual({ admin: null, includes: false, parsed: { a: 1 } })
  })

  it('a function that patches Promise.prototype.then only breaks itself', async () => {
    await attack(`export default async () => { Promise.prototype.then = function () { return this }; return 'done' }`, 'ok', { id: 'iso-then' })
  })

  it('unhandled rejections neither crash anything nor reach a later invocation', async () => {
    const code = `let calls = 0\nexport default (req) => { calls++; if (req.path === '/reject') { Promise.reject(new Error('nobody catches me')); new Promise((_, r) => r(Symbol('s'))) } return String(calls) }`
    await attack(code, 'ok', { id: 'iso-reject' }, { path: '/reject' })
    const later = await rt.run(code, { path: '/ok' }, { id: 'iso-reject', timeoutMs: 2000, memoryMb: 64 })
    expect(later.outcome).toBe('ok')
    expect(text(later)).toBe('2')
    expect(later.console).toEqual([])
  })

  it('an unhandled rejection is logged with its invocation, which still succeeds', async () => {
    const result = await attack(`export default () => { Promise.reject(new TypeError('lost')); return 'fine' }`, 'ok')
    expect(text(result)).toBe('fine')
    expect(result.console).toEqual([expect.objectContaining({ level: 'error', message: expect.stringMatching(/^Uncaught \(in promise\) TypeError: lost/) })])
  })

  it('module state of one version never reaches the next version or another function', async () => {
    const v1 = `globalThis.stash = (globalThis.stash ?? 0) + 1\nexport default () => String(globalThis.stash)`
    await attack(v1, 'ok', { id: 'iso-state' })
    const again = await rt.run(v1, {}, { id: 'iso-state', timeoutMs: 2000, memoryMb: 64 })
    expect(text(again)).toBe('1')
    const v2 = await rt.run(`${v1}\n// v2`, {}, { id: 'iso-state', timeoutMs: 2000, memoryMb: 64 })
    expect(text(v2)).toBe('1')
  })
})
