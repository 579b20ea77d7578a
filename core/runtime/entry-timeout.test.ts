import { describe, expect, it } from 'vitest'
import { entryTimeoutMs, GRID_MS } from './entry-timeout.ts'

describe('entryTimeoutMs', () => {
  it('never cuts an entry short of the deadline, and overshoots it by less than one grid step', () => {
    for (let now = 1000; now < 1000 + 3 * GRID_MS; now += 0.37) {
      for (const remaining of [0.2, 1, 7.5, 999.9, 10_000]) {
        const timeout = entryTimeoutMs(now + remaining, now)
        expect(Number.isInteger(timeout)).toBe(true)
        expect(now + timeout).toBeGreaterThanOrEqual(now + remaining)
        expect(now + timeout - (now + remaining)).toBeLessThan(GRID_MS + 1)
      }
    }
  })

  it('gives entries made at different moments the same grid deadline, to the millisecond', () => {
    const deadlines = new Set<number>()
    // Entries spread over most of one grid step, each with the same 10 s budget.
    for (let now = 5_001; now < 5_000 + GRID_MS - 1; now += 0.25) deadlines.add(Math.floor(now + entryTimeoutMs(now + 10_000, now)))
    // Integer milliseconds only reach the grid point to within one millisecond.
    expect(Math.max(...deadlines) - Math.min(...deadlines)).toBeLessThanOrEqual(1)
  })

  it('gives an entry past its deadline the minimum of 1 ms (isolated-vm treats 0 as no limit)', () => {
    expect(entryTimeoutMs(100, 200)).toBe(1)
    expect(entryTimeoutMs(200, 200)).toBe(1)
  })
})
