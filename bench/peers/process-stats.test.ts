import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { treesStats, waitForQuiet } from './process-stats.ts'

// A child that keeps one core busy for `seconds`, then sleeps.
const busyThenIdle = (seconds: number) =>
  spawn(process.execPath, ['-e', `const end = Date.now() + ${seconds * 1000}; while (Date.now() < end); setTimeout(() => {}, 60000)`], { stdio: 'ignore' })

describe('process stats', () => {
  it('waits until busy process trees go quiet, and no longer', async () => {
    const busy = busyThenIdle(1.5)
    const idle = busyThenIdle(0)
    try {
      await new Promise((resolve) => setTimeout(resolve, 200))
      const waited = await waitForQuiet([busy.pid!, idle.pid!], { windowMs: 250 })
      expect(waited).toBeGreaterThan(1)
      expect(waited).toBeLessThan(10)
      // Already quiet: one window.
      expect(await waitForQuiet([busy.pid!, idle.pid!], { windowMs: 250 })).toBeLessThan(1)
    } finally {
      busy.kill()
      idle.kill()
    }
  })

  it('gives up after the timeout on a tree that never goes quiet', async () => {
    const busy = busyThenIdle(30)
    try {
      const waited = await waitForQuiet([busy.pid!], { windowMs: 200, timeoutMs: 1000 })
      expect(waited).toBeGreaterThanOrEqual(1)
      expect(waited).toBeLessThan(3)
    } finally {
      busy.kill()
    }
  })

  it('counts a tree once when given twice, and a gone process as nothing', () => {
    const self = treesStats([process.pid]).cpuSeconds
    expect(treesStats([process.pid, process.pid]).cpuSeconds).toBeLessThan(self * 1.5 + 0.05)
    expect(treesStats([2 ** 22 + 12345])).toEqual({ cpuSeconds: 0, rssBytes: 0 })
  })
})
