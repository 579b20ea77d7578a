import type { RateLimit } from '../../common/model/http-settings.ts'

export type RateDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number }

export interface RateLimiter {
  hit(functionId: string, key: string, limit: RateLimit): RateDecision
  close(): void
}

/**
 * Fixed windows per (function, key), in memory: one process's view, which is what a single-node
 * server needs. Windows start at the key's first request; expired ones are swept periodically.
 */
export function createRateLimiter(now: () => number = Date.now, sweepMs = 30_000): RateLimiter {
  const windows = new Map<string, { start: number; count: number; windowMs: number }>()
  const sweeper = setInterval(() => {
    const t = now()
    for (const [k, w] of windows) if (t - w.start >= w.windowMs) windows.delete(k)
  }, sweepMs)
  sweeper.unref()
  return {
    hit(functionId, key, limit) {
      const id = `${functionId}\0${key}`
      const t = now()
      const windowMs = limit.windowSeconds * 1000
      let w = windows.get(id)
      if (!w || t - w.start >= windowMs || w.windowMs !== windowMs) {
        w = { start: t, count: 0, windowMs }
        windows.set(id, w)
      }
      if (w.count >= limit.requests) return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) }
      w.count++
      return { allowed: true, remaining: limit.requests - w.count }
    },
    close() {
      clearInterval(sweeper)
      windows.clear()
    },
  }
}
