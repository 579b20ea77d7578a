import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import type { FunctionSpecInput, InvocationResult } from '../../../common/model/invocation.ts'
import type { OutcomeKind } from '../../../common/model/outcome.ts'
import { useRuntime } from '../runtime.test-helper.ts'
import type { RuntimeOptions } from '../runtime.ts'

export const GRACE_MS = 1000
const CANARY = { id: 'canary', code: `let n = 0\nexport default () => ({ statusCode: 200, body: { canary: ++n } })` }

/**
 * A runtime for hostile functions. Every attack is checked the same way: the exact outcome, that it
 * ended by its deadline plus grace, that the host process is alive with bounded memory, and that a
 * different, already-warm function still answers.
 */
export function useAttackRuntime(options: RuntimeOptions = {}) {
  const rt = useRuntime({ graceMs: GRACE_MS, ...options })
  let hostRssBefore = 0

  async function attack(code: string, expected: OutcomeKind, spec: Partial<FunctionSpecInput> = {}, request = {}): Promise<InvocationResult> {
    if (!hostRssBefore) {
      await rt.runtime.run(CANARY)
      hostRssBefore = process.memoryUsage().rss
    }
    const timeoutMs = spec.timeoutMs ?? 2000
    const started = Date.now()
    const result = await rt.run(code, request, { timeoutMs, memoryMb: 64, ...spec })
    const elapsed = Date.now() - started
    expect(result.outcome, `${result.error?.message ?? ''}`).toBe(expected)
    // Ends by its deadline plus grace (and a little scheduling slack on a shared machine).
    expect(elapsed).toBeLessThan(timeoutMs + GRACE_MS + 1500)
    await expectCanaryHealthy()
    return result
  }

  async function expectCanaryHealthy(): Promise<void> {
    const canary = await rt.runtime.run(CANARY)
    expect(canary.outcome).toBe('ok')
    expect(canary.metrics.wallMs).toBeLessThan(1000)
    // The host (this process) never holds guest memory: it stays bounded whatever the guest did.
    expect(process.memoryUsage().rss - hostRssBefore).toBeLessThan(300 * 1024 * 1024)
  }

  return { rt, attack, expectCanaryHealthy }
}

/** Peak resident memory of a process while `during` runs, sampled from /proc every 10 ms. */
export async function peakRss<T>(pid: number, during: () => Promise<T>): Promise<{ result: T; peakBytes: number }> {
  let peakBytes = 0
  const sample = () => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (match) peakBytes = Math.max(peakBytes, Number(match[1]) * 1024)
    } catch {
      // The process may be gone: it was killed for using too much.
    }
  }
  const timer = setInterval(sample, 10)
  try {
    const result = await during()
    return { result, peakBytes }
  } finally {
    clearInterval(timer)
  }
}
