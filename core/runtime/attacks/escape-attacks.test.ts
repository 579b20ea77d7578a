import { describe, expect, it } from 'vitest'
import { json, text } from '../runtime.test-helper.ts'
import { useAttackRuntime } from './attack.test-helper.ts'

const { rt, attack } = useAttackRuntime()

describe('no way out of the isolate', () => {
  it('no host function or isolated-vm object is reachable from any global or any value handed in', async () => {
    // Walks everything reachable from globalThis, the request, env and ctx (own properties of every
    // kind, prototypes, getters' results are NOT invoked). Native functions are fine only if a
    // pristine context has a native function at the same path; anything else native is a leak.
    const walker = `
      const seen = new Set(), natives = [], suspicious = []
      const isNative = (f) => { try { return /\\{\\s*\\[native code\\]\\s*\\}$/.test(Function.prototype.toString.call(f)) } catch { return true } }
      function walk(value, path, depth) {
        if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 12) return
        seen.add(value)
        if (typeof value === 'function' && isNative(value)) natives.push(path)
        if (String(value?.constructor?.name ?? '').match(/^(Reference|ExternalCopy|Callback|Isolate|Context|Module|Script)$/)) suspicious.push(path)
        for (const key of Reflect.ownKeys(value)) {
          const d = Object.getOwnPropertyDescriptor(value, key)
          const name = path + '.' + String(key)
          if (d && 'value' in d) walk(d.value, name, depth + 1)
          if (d?.get) walk(d.get, name + '<get>', depth + 1)
          if (d?.set) walk(d.set, name + '<set>', depth + 1)
        }
        walk(Object.getPrototypeOf(value), path + '.__proto__', depth + 1)
      }`
    const result = await attack(
      `${walker}
      export default { fetch(request, env, ctx) {
        walk(globalThis, 'globalThis', 0); walk(request, 'request', 0); walk(env, 'env', 0); walk(ctx, 'ctx', 0)
        return Response.json({ natives, suspicious })
      } }`,
      'ok',
      { envVars: { A: '1' } },
    )
    const found = json(result) as { natives: string[]; suspicious: string[] }
    expect(found.suspicious).toEqual([])
    expect(found.natives.length).toBeGreaterThan(500)
    // The same walk in a context with nothing of ours installed: which native paths V8 itself provides.
    const ivm = (await import('isolated-vm')).default
    const isolate = new ivm.Isolate({ memoryLimit: 32 })
    const pristine = isolate.createContextSync().evalSync(`${walker}; walk(globalThis, 'globalThis', 0); JSON.stringify(natives)`) as string
    isolate.dispose()
    const builtin = new Set(JSON.parse(pristine) as string[])
    const extra = found.natives.filter((path) => !builtin.has(path))
    // Our own functions are plain JS, never native: any extra native function would be a host function.
    expect(extra).toEqual([])
  })

  it('Error.prepareStackTrace reveals no host frames, functions, receivers or paths', async () => {
    const result = await attack(
      `export default () => {
        const frames = []
        Error.prepareStackTrace = (error, callSites) => {
          for (const site of callSites) frames.push({ file: String(site.getFileName()), fn: typeof site.getFunction(), self: typeof site.getThis() })
          return 'custom'
        }
        // Our code calls back into user code here (Headers#forEach, a getter read by the response check).
        new Headers({ a: '1' }).forEach(() => { new Error().stack })
        const body = { toJSON() { new Error().stack; return 'x' } }
        return { statusCode: 200, body: JSON.stringify({ frames: frames.filter((f) => f.file !== 'undefined') }) }
      }`,
      'ok',
    )
    const { frames } = JSON.parse(text(result)) as { frames: { file: string; fn: string; self: string }[] }
    expect(frames.length).toBeGreaterThan(0)
    for (const frame of frames) {
      expect(frame.file).not.toMatch(/\/|\\\\|node_modules|\.ts$|worker/)
      if (frame.file === 'edgepad:bootstrap') expect([frame.fn, frame.self]).toEqual(['undefined', 'undefined'])
    }
  })

  it('error stacks seen by the function name no host path', async () => {
    const result = await attack(`export default () => { try { new Request('http://x', { method: 'CONNECT' }) } catch (e) { return e.stack } }`, 'ok')
    expect(text(result)).not.toMatch(/\/work|node_modules|\.ts:|worker-main|isolated-vm/)
  })

  it('codegen is denied through constructors reachable from values we hand in, and string timers', async () => {
    const probes = [
      `console.log.constructor('return 1')`,
      `env.constructor.constructor('return 1')`,
      `request.headers.get.constructor('return 1')`,
      `fetch.constructor('return 1')`,
      `(async () => {}).constructor('return 1')`,
      `setInterval('1', 1)`,
      `setTimeout({ toString() { return 'x' } }, 1)`,
    ]
    const result = await attack(
      `export default (request) => ({ statusCode: 200, body: [${probes.map((p) => `(() => { try { ${p}; return 'ALLOWED' } catch (e) { return e.name } })()`).join(', ')}] })`,
      'ok',
    )
    expect(json(result)).toEqual(['EvalError', 'EvalError', 'EvalError', 'EvalError', 'EvalError', 'TypeError', 'TypeError'])
  })

  it('WebAssembly cannot be compiled or instantiated by any route', async () => {
    const result = await attack(
      `export default () => ({ statusCode: 200, body: [typeof WebAssembly, typeof globalThis.WebAssembly, Object.getOwnPropertyNames(globalThis).includes('WebAssembly') ? typeof globalThis['WebAssembly']?.compile : 'absent'] })`,
      'ok',
    )
    expect(json(result)).toEqual(['undefined', 'undefined', 'undefined'])
  })

  it('the request object has no live links to the host', async () => {
    const code = `export default (request) => { request.headers['x'] = 'changed'; request.query.q = 'changed'; Object.setPrototypeOf(request.query, { polluted: true }); return { statusCode: 200, body: { q: request.query.q } } }`
    await attack(code, 'ok', { id: 'live-links' }, { query: { q: 'original' } })
    const second = await rt.run(`export default (request) => ({ statusCode: 200, body: { q: request.query.q, polluted: request.query.polluted ?? null } })`, { query: { q: 'original' } }, { id: 'live-links-2' })
    expect(json(second)).toEqual({ q: 'original', polluted: null })
  })
})
