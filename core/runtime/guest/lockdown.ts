/**
 * Denies every way of turning a string into code. isolated-vm allows codegen from strings by
 * default, so the guest removes the routes itself before any user code runs: `eval`, and the four
 * Function constructors, however they are reached (global, `.constructor` on any function kind,
 * Reflect.construct). Also removes WebAssembly, SharedArrayBuffer and Atomics.
 */
export function lockdown(global: typeof globalThis): void {
  const deny = (what: string) =>
    function denied(): never {
      throw new EvalError(`${what} is not allowed in edge functions: code generation from strings is disabled`)
    }

  const kinds: [string, object][] = [
    ['Function', Function.prototype],
    ['AsyncFunction', Object.getPrototypeOf(async function () {})],
    ['GeneratorFunction', Object.getPrototypeOf(function* () {})],
    ['AsyncGeneratorFunction', Object.getPrototypeOf(async function* () {})],
  ]
  for (const [name, prototype] of kinds) {
    const stub = deny(name)
    Object.defineProperty(stub, 'name', { value: name })
    Object.defineProperty(stub, 'prototype', { value: prototype, writable: false })
    Object.defineProperty(prototype, 'constructor', { value: stub, writable: false, configurable: false, enumerable: false })
    if (name === 'Function') Object.defineProperty(global, 'Function', { value: stub, writable: false, configurable: false, enumerable: false })
  }
  Object.defineProperty(global, 'eval', { value: deny('eval'), writable: false, configurable: false, enumerable: false })

  for (const name of ['WebAssembly', 'SharedArrayBuffer', 'Atomics']) {
    delete (global as unknown as Record<string, unknown>)[name]
    Object.defineProperty(global, name, { value: undefined, writable: false, configurable: false, enumerable: false })
  }
}
