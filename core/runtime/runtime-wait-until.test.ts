import { describe, expect, it } from 'vitest'
import type { InvocationResult } from '../../common/model/invocation.ts'
import { text, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime()

function runWithFinal(code: string, timeoutMs = 3000) {
  let resolveFinal: (result: InvocationResult) => void = () => undefined
  const final = new Promise<InvocationResult>((resolve) => (resolveFinal = resolve))
  const early = rt.runtime.run({ id: `wait-${Math.random()}`, code, timeoutMs }, {}, { onFinal: resolveFinal })
  return { early, final }
}

describe('ctx.waitUntil', () => {
  it('responds first, keeps the work running, and delivers its console lines with the final result', async () => {
    const { early, final } = runWithFinal(`export default {
      fetch(request, env, ctx) {
        console.log('before response')
        ctx.waitUntil(new Promise((resolve) => setTimeout(() => { console.log('after response'); resolve() }, 300)))
        return new Response('fast')
      },
    }`)
    const response = await early
    expect(response.outcome).toBe('ok')
    expect(text(response)).toBe('fast')
    expect(response.background).toBe(true)
    expect(response.console.map((line) => line.message)).toEqual(['before response'])
    const done = await final
    expect(done.outcome).toBe('ok')
    expect(done.console.map((line) => line.message)).toEqual(['before response', 'after response'])
    expect(done.metrics.wallMs).toBeGreaterThanOrEqual(290)
  })

  it('background work past the deadline is cut off and logged, without changing the response', async () => {
    const { early, final } = runWithFinal(`export default { fetch(request, env, ctx) { ctx.waitUntil(new Promise(() => {})); return new Response('ok') } }`, 1000)
    expect((await early).outcome).toBe('ok')
    const done = await final
    expect(done.outcome).toBe('ok')
    expect(done.console.at(-1)?.message).toMatch(/waitUntil work ended early: The function did not finish within its 1000 ms timeout/)
  })

  it('without background work, onFinal gets the same result at once', async () => {
    const { early, final } = runWithFinal(`export default () => 'plain'`)
    const response = await early
    expect(await final).toEqual(response)
    expect(response.background).toBeUndefined()
  })
})
