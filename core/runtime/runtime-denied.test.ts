import { describe, expect, it } from 'vitest'
import { json, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime()

/** Each probe returns a string: what happened when the function tried. */
const probes: Record<string, string> = {
  eval: `eval('1 + 1')`,
  indirectEval: `(0, eval)('1 + 1')`,
  globalEval: `globalThis['ev' + 'al']('1 + 1')`,
  Function: `new Function('return 1')()`,
  FunctionViaPrototype: `(function () {}).constructor('return 1')()`,
  FunctionViaArrow: `(() => 1).constructor('return 1')()`,
  FunctionViaReflect: `Reflect.construct(Object.getPrototypeOf(() => 1).constructor, ['return 1'])()`,
  AsyncFunction: `Object.getPrototypeOf(async function () {}).constructor('return 1')`,
  GeneratorFunction: `Object.getPrototypeOf(function* () {}).constructor('yield 1')`,
  AsyncGeneratorFunction: `Object.getPrototypeOf(async function* () {}).constructor('yield 1')`,
  classConstructor: `(class {}).constructor('return 1')()`,
  WebAssembly: `WebAssembly.Module`,
  SharedArrayBuffer: `new SharedArrayBuffer(8)`,
  Atomics: `Atomics.add`,
  require: `require('fs')`,
  process: `process.env`,
  fsViaGlobal: `globalThis.fs.readFileSync`,
}

describe('denied capabilities', () => {
  it('every code-generation route, WebAssembly, SharedArrayBuffer, Atomics, require and process are unavailable', async () => {
    const body = Object.entries(probes)
      .map(([name, expr]) => `try { const v = ${expr}; out[${JSON.stringify(name)}] = 'ALLOWED ' + typeof v } catch (e) { out[${JSON.stringify(name)}] = e.name + ': ' + e.message }`)
      .join('\n')
    const result = await rt.run(`export default () => { const out = {}\n${body}\nreturn { statusCode: 200, body: out } }`)
    expect(result.outcome).toBe('ok')
    const out = json(result) as Record<string, string>
    for (const name of Object.keys(probes)) expect(out[name], name).not.toMatch(/^ALLOWED/)
    for (const name of ['eval', 'indirectEval', 'globalEval', 'Function', 'FunctionViaPrototype', 'FunctionViaArrow', 'FunctionViaReflect', 'AsyncFunction', 'GeneratorFunction', 'AsyncGeneratorFunction', 'classConstructor']) {
      expect(out[name], name).toMatch(/^EvalError: .*code generation from strings is disabled/)
    }
  })

  it('the denials cannot be undone by the function', async () => {
    const result = await rt.run(`export default () => {
      const attempts = []
      try { Object.defineProperty(Function.prototype, 'constructor', { value: 1 }); attempts.push('redefined') } catch { attempts.push('locked') }
      try { globalThis.eval = (s) => s; attempts.push(eval === globalThis.eval ? 'replaced' : 'kept') } catch { attempts.push('locked') }
      try { delete globalThis.WebAssembly; attempts.push(typeof WebAssembly) } catch { attempts.push('locked') }
      let evalStill = 'allowed'
      try { eval('1') } catch (e) { evalStill = e.name }
      return { statusCode: 200, body: { attempts, evalStill, wasm: typeof WebAssembly, instance: (() => 1) instanceof Function } }
    }`)
    // Modules are strict: writing a locked property throws instead of being silently ignored.
    expect(json(result)).toEqual({ attempts: ['locked', 'locked', 'locked'], evalStill: 'EvalError', wasm: 'undefined', instance: true })
  })

  it('dynamic import() rejects and static imports do not compile', async () => {
    const dynamic = await rt.run(`export default async () => { try { await import('data:text/javascript,export default 1'); return 'ALLOWED' } catch (e) { return 'denied: ' + e.message } }`)
    expect(dynamic.outcome).toBe('ok')
    expect(new TextDecoder().decode(dynamic.response.body)).toMatch(/^denied/)
    const staticImport = await rt.run(`import x from 'https://example.com/x.js'\nexport default () => x`)
    expect(staticImport.outcome).toBe('compile_error')
  })

  it('the request object is a plain copy: changing it changes nothing for the next invocation', async () => {
    const code = `let seen = []\nexport default (req) => { seen.push(req.headers['x-n']); req.headers['x-n'] = 'mutated'; return { statusCode: 200, body: seen } }`
    await rt.run(code, { headers: { 'x-n': '1' } }, { id: 'copy-fn' })
    const second = await rt.run(code, { headers: { 'x-n': '2' } }, { id: 'copy-fn' })
    expect(json(second)).toEqual(['1', '2'])
  })
})
