import { describe, expect, it } from 'vitest'
import { prepareFunction } from './prepared-function.ts'
import { text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime({ workers: 1 })

describe('prepared functions', () => {
  it('run like the spec they were made from, validated and hashed once', async () => {
    const fn = prepareFunction({ id: 'prepared', code: `let n = 0\nexport default () => String(++n)` })
    expect(Object.isFrozen(fn) && Object.isFrozen(fn.spec)).toBe(true)
    expect(fn.spec).toMatchObject({ runtime: 'JAVASCRIPT', handler: 'default', timeoutMs: 10_000, memoryMb: 128 })
    expect(text(await rt.runtime.run(fn))).toBe('1')
    expect(text(await rt.runtime.run(fn))).toBe('2')
  })

  it('reject bad input when prepared, and a look-alike object is validated like any input', async () => {
    expect(() => prepareFunction({ id: 'bad', code: 'x', timeoutMs: 5 })).toThrow(/timeoutMs must be at least 1000/)
    const lookAlike = { spec: { id: 'x', code: 'export default () => 1', timeoutMs: 5 }, key: 'forged' }
    await expect(rt.runtime.run(lookAlike as never)).rejects.toThrow(/Invalid function/)
  })
})
