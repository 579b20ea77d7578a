import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limiter.ts'

describe('rate limiter', () => {
  it('allows N per window per key, then reports when to retry, and resets with the window', () => {
    let now = 1_000_000
    const limiter = createRateLimiter(() => now)
    const limit = { requests: 2, windowSeconds: 10, key: 'ip' }
    expect(limiter.hit('f', 'k', limit)).toEqual({ allowed: true, remaining: 1 })
    expect(limiter.hit('f', 'k', limit)).toEqual({ allowed: true, remaining: 0 })
    now += 2500
    expect(limiter.hit('f', 'k', limit)).toEqual({ allowed: false, retryAfterSeconds: 8 })
    expect(limiter.hit('f', 'other', limit).allowed).toBe(true)
    expect(limiter.hit('g', 'k', limit).allowed).toBe(true)
    now += 7500
    expect(limiter.hit('f', 'k', limit).allowed).toBe(true)
    limiter.close()
  })
})
