import { describe, expect, it } from 'vitest'
import { AppError } from '../../common/errors.ts'
import { json, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime({ egress: { allowPrivateNetworks: true } })

describe('outcomes', () => {
  it('runtime_error: an uncaught throw is a 500 with { error, stack } pointing at the user file', async () => {
    const result = await rt.run(`export default async function handler() {\n  const x = 1\n  throw new TypeError('bad thing ' + x)\n}`, {}, { filename: 'boom.js' })
    expect(result.outcome).toBe('runtime_error')
    expect(result.response.statusCode).toBe(500)
    expect(result.error?.message).toBe('TypeError: bad thing 1')
    expect(result.error?.line).toBe(3)
    expect(result.error?.stack).toMatch(/^TypeError: bad thing 1\n\s+at handler \(boom\.js:3:9\)/)
    expect(result.error?.stack).not.toMatch(/bootstrap|isolated-vm|node:|worker/)
    const body = json(result) as { error: string; stack: string }
    expect(body.error).toBe('TypeError: bad thing 1')
    expect(body.stack).toContain('boom.js:3:9')
  })

  it('runtime_error: rejections and thrown non-Errors are described safely', async () => {
    const cases: [string, RegExp][] = [
      ['throw null', /^Uncaught null$/],
      ['throw undefined', /^Uncaught undefined$/],
      ["throw Symbol('s')", /^Uncaught Symbol\(s\)$/],
      ["throw 'text'", /^Uncaught "text"$/],
      ['throw 42n', /^Uncaught 42n$/],
      ["throw new Proxy({}, { get() { throw new Error('trap') }, getPrototypeOf() { throw new Error('trap') } })", /^Uncaught \[uninspectable value\]$/],
      ["throw Object.defineProperty(new Error('x'), 'message', { get() { throw new Error('no') } })", /^Error: $/],
      ['return Promise.reject(new RangeError("r"))', /^RangeError: r$/],
    ]
    for (const [statement, expected] of cases) {
      const result = await rt.run(`export default async function handler() { ${statement} }`)
      expect(result.outcome, statement).toBe('runtime_error')
      expect(result.error?.message, statement).toMatch(expected)
    }
  })

  it('timeout: a sync infinite loop ends at the deadline with 504', async () => {
    const result = await rt.run(`export default function handler() { while (true) {} }`, {}, { timeoutMs: 1000 })
    expect(result.outcome).toBe('timeout')
    expect(result.response.statusCode).toBe(504)
    expect(result.metrics.wallMs).toBeGreaterThanOrEqual(990)
    expect(result.metrics.wallMs).toBeLessThan(6000)
  })

  it('timeout: a never-settling promise and a loop after an await end at the deadline', async () => {
    const never = await rt.run(`export default async function handler() { await new Promise(() => {}) }`, {}, { timeoutMs: 1000 })
    expect(never.outcome).toBe('timeout')
    const later = await rt.run(`export default async function handler() { await new Promise((r) => setTimeout(r, 10)); for (;;) {} }`, {}, { timeoutMs: 1000 })
    expect(later.outcome).toBe('timeout')
    const topLevel = await rt.run(`for (;;) {}\nexport default () => 'never'`, {}, { timeoutMs: 1000 })
    expect(topLevel.outcome).toBe('timeout')
  })

  it('timeout: a fetch that never answers is bounded by the deadline', async () => {
    const { createServer } = await import('node:http')
    const server = createServer(() => undefined)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const result = await rt.run(`export default async () => (await fetch('http://127.0.0.1:${port}/')).text()`, {}, { timeoutMs: 1000 })
      expect(result.outcome).toBe('timeout')
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })

  it('memory_limit: growing past memoryMb ends the invocation, and the function recovers', async () => {
    const code = `const keep = []\nexport default (req) => { if (req.path === '/ok') return 'fine'; for (;;) keep.push(new Array(1e5).fill({ a: Math.random() })) }`
    const result = await rt.run(code, { path: '/grow' }, { id: 'memory-hog', memoryMb: 64, timeoutMs: 20000 })
    expect(result.outcome).toBe('memory_limit')
    expect(result.response.statusCode).toBe(500)
    const after = await rt.run(code, { path: '/ok' }, { id: 'memory-hog', memoryMb: 64 })
    expect(after.outcome).toBe('ok')
  })

  it('invalid_response: wrong status, header or return type', async () => {
    const cases = [
      [`() => ({ statusCode: 99, body: 'x' })`, /statusCode must be an integer from 200 to 599, got number 99/],
      [`() => ({ statusCode: 200.5 })`, /statusCode must be an integer/],
      [`() => ({ statusCode: 200, headers: { 'bad name': 'x' } })`, /not a valid HTTP token/],
      [`() => ({ statusCode: 200, headers: { x: 'a\\r\\nInjected: 1' } })`, /CR, LF or NUL/],
      [`() => ({ statusCode: 200, headers: { x: {} } })`, /must be a string/],
      [`() => undefined`, /returned undefined/],
      [`() => 42`, /returned number 42/],
      [`() => ({ hello: 'world' })`, /without statusCode/],
      [`() => ({ statusCode: 204, body: 'not allowed' })`, /204 response cannot have a body/],
      [`() => ({ statusCode: 200, body: { n: 1n } })`, /could not be encoded as JSON/],
    ] as const
    for (const [handler, expected] of cases) {
      const result = await rt.run(`export default ${handler}`)
      expect(result.outcome, handler).toBe('invalid_response')
      expect(result.response.statusCode).toBe(500)
      expect(result.error?.message, handler).toMatch(expected)
    }
  })

  it('framing headers set by a function are dropped, not sent', async () => {
    const result = await rt.run(`export default () => ({ statusCode: 200, headers: { 'content-length': '999', 'transfer-encoding': 'chunked', 'x-ok': '1' }, body: 'hi' })`)
    expect(result.outcome).toBe('ok')
    expect(result.response.headers).toEqual({ 'x-ok': '1' })
  })

  it('response_too_large: a body over 10 MB is refused', async () => {
    const result = await rt.run(`export default () => ({ statusCode: 200, body: 'x'.repeat(10 * 1024 * 1024 + 1) })`)
    expect(result.outcome).toBe('response_too_large')
    expect(result.error?.message).toMatch(/limit is 10485760 bytes/)
  })

  it('compile_error: syntax errors carry line and column; missing exports and imports are named', async () => {
    const syntax = await rt.run(`export default function handler() {\n  return 1 +* 2\n}`, {}, { filename: 'broken.js' })
    expect(syntax.outcome).toBe('compile_error')
    expect(syntax.response.statusCode).toBe(500)
    expect(syntax.error).toMatchObject({ line: 2, column: 13 })
    expect(syntax.error?.message).toMatch(/SyntaxError: Unexpected token '\*' \(broken\.js:2:13\)/)
    const noDefault = await rt.run(`export const x = 1`)
    expect(noDefault.outcome).toBe('compile_error')
    expect(noDefault.error?.message).toMatch(/no default export/)
    const noNamed = await rt.run(`export default () => 'x'`, {}, { handler: 'handler' })
    expect(noNamed.error?.message).toMatch(/does not export a function named 'handler'/)
    const imports = await rt.run(`import fs from 'node:fs'\nexport default () => fs`)
    expect(imports.outcome).toBe('compile_error')
    expect(imports.error?.message).toMatch(/Imports are not supported.*'node:fs'/)
  })

  it('check() rejects broken code before it is ever invoked', async () => {
    expect((await rt.runtime.check({ id: 'c1', code: 'export default (' })).outcome).toBe('compile_error')
    expect((await rt.runtime.check({ id: 'c2', code: 'export default () => 1', runtime: 'TYPESCRIPT' })).outcome).toBe('ok')
  })

  it('limits outside their range are rejected with a clear validation error, not clamped', async () => {
    await expect(rt.run('export default () => 1', {}, { timeoutMs: 500 })).rejects.toThrow(/timeoutMs must be at least 1000/)
    await expect(rt.run('export default () => 1', {}, { timeoutMs: 30001 })).rejects.toThrow(/timeoutMs must be at most 30000/)
    await expect(rt.run('export default () => 1', {}, { memoryMb: 32 })).rejects.toThrow(/memoryMb must be at least 64/)
    await expect(rt.run('export default () => 1', {}, { memoryMb: 1024 })).rejects.toThrow(/memoryMb must be at most 512/)
    const error = await rt.run('export default () => 1', {}, { memoryMb: 100.5 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).code).toBe('validation_failed')
    expect((error as AppError).details).toEqual([{ path: 'memoryMb', message: 'memoryMb must be a whole number of megabytes' }])
  })

  it('metrics: wall time, CPU time and peak heap are reported; the first call is cold', async () => {
    const code = `export default () => { let s = 0; for (let i = 0; i < 2e6; i++) s += i; return String(s) }`
    const first = await rt.run(code, {}, { id: 'metrics-fn' })
    const second = await rt.run(code, {}, { id: 'metrics-fn' })
    expect(first.metrics.coldStart).toBe(true)
    expect(second.metrics.coldStart).toBe(false)
    expect(second.metrics.cpuMs).toBeGreaterThan(0)
    expect(second.metrics.wallMs).toBeGreaterThanOrEqual(second.metrics.cpuMs * 0.5)
    expect(second.metrics.peakHeapBytes).toBeGreaterThan(100_000)
  })
})
