import { describe, expect, it } from 'vitest'
import { text, useRuntime } from './runtime.test-helper.ts'

const counter = `let n = 0\nexport default () => String(++n)`

describe('warm cache: least recently used versions are evicted first', () => {
  const rt = useRuntime({ workers: 1, workerEnv: { EDGEPAD_MAX_WARM: '3' } })

  it('keeps the 3 most recent functions warm and evicts the oldest', async () => {
    for (const id of ['lru-a', 'lru-b', 'lru-c']) expect(text(await rt.run(counter, {}, { id }))).toBe('1')
    // Touch a, so b is now the least recently used.
    expect(text(await rt.run(counter, {}, { id: 'lru-a' }))).toBe('2')
    expect(text(await rt.run(counter, {}, { id: 'lru-d' }))).toBe('1')
    const a = await rt.run(counter, {}, { id: 'lru-a' })
    expect(text(a)).toBe('3')
    expect(a.metrics.coldStart).toBe(false)
    const b = await rt.run(counter, {}, { id: 'lru-b' })
    expect(text(b)).toBe('1')
    expect(b.metrics.coldStart).toBe(true)
    expect((await rt.runtime.stats())[0]!.warm).toBeLessThanOrEqual(3)
  })
})

describe('warm cache: idle versions are evicted', () => {
  const rt = useRuntime({ workers: 1, workerEnv: { EDGEPAD_IDLE_MS: '300' } })

  it('a function idle past the limit starts cold again', async () => {
    expect(text(await rt.run(counter, {}, { id: 'idle-fn' }))).toBe('1')
    expect(text(await rt.run(counter, {}, { id: 'idle-fn' }))).toBe('2')
    // The sweeper runs every idleMs; wait for the worker to report the eviction rather than sleeping blindly.
    for (let i = 0; i < 100 && (await rt.runtime.stats())[0]!.warm > 0; i++) await new Promise((r) => setTimeout(r, 50))
    expect((await rt.runtime.stats())[0]!.warm).toBe(0)
    const after = await rt.run(counter, {}, { id: 'idle-fn' })
    expect(text(after)).toBe('1')
    expect(after.metrics.coldStart).toBe(true)
  })
})
