// Test harness: bundles guest modules with esbuild exactly like the runtime does (one IIFE),
// evaluates them in a fresh isolated-vm context and runs scenario code there. `both()` runs
// the same scenario in Node (whose Headers/URL/TextEncoder/... are the reference) and in the
// isolate, so tests can assert identical results.
import { fileURLToPath } from 'node:url'
import { dirname } from 'node:path'
import esbuild from 'esbuild'
import ivm from 'isolated-vm'
// the runtime's real host side of the URL hooks (contract: top of url.ts)
import { urlParse, urlSet } from '../url-host.ts'

export const GUEST_DIR = dirname(fileURLToPath(import.meta.url))

/** Entry that exposes every platform module on the test context's global object. */
export const TEST_ENTRY = `
import { atob, btoa, DOMException } from './base64.ts'
import { Headers } from './headers.ts'
import { formatArgs, inspect } from './inspect.ts'
import { Request } from './request.ts'
import { Response, bodyBytesOf } from './response.ts'
import { structuredClone } from './structured-clone.ts'
import { TextDecoder, TextEncoder } from './text-encoding.ts'
import { createURLClass } from './url.ts'
import { URLSearchParams } from './url-search-params.ts'
const g = globalThis
const URL = createURLClass((i, b) => g.__urlParse(i, b), (h, c, v) => g.__urlSet(h, c, v))
Object.assign(g, { atob, btoa, DOMException, Headers, formatArgs, inspect, Request, Response, bodyBytesOf,
  structuredClone, TextDecoder, TextEncoder, URL, URLSearchParams })
`

const bundles = new Map<string, string>()
/** Same options as core/runtime/guest-bundle.ts: minified, no keepNames, strict. */
export function bundleGuest(contents: string, minify = true): string {
  const key = `${minify}:${contents}`
  let code = bundles.get(key)
  if (code === undefined) {
    const out = esbuild.buildSync({
      stdin: { contents, resolveDir: GUEST_DIR, loader: 'ts' },
      bundle: true, format: 'iife', write: false, platform: 'neutral', target: 'es2023', minify, keepNames: false,
      legalComments: 'none', banner: { js: '"use strict";' },
    })
    code = out.outputFiles[0]!.text
    bundles.set(key, code)
  }
  return code
}

export type Guest = {
  /** Evaluate an expression (or IIFE) in the isolate; the result is copied out. */
  run<T = unknown>(code: string): T
  /** Same, awaiting a promise result. */
  runAsync<T = unknown>(code: string): Promise<T>
  dispose(): void
}

export function createGuest(entry = TEST_ENTRY): Guest {
  const isolate = new ivm.Isolate({ memoryLimit: 64 })
  const context = isolate.createContextSync()
  const global = context.global
  global.setSync('__urlParse', new ivm.Callback(urlParse))
  global.setSync('__urlSet', new ivm.Callback(urlSet))
  context.evalSync(bundleGuest(entry))
  return {
    run: code => context.evalSync(code, { copy: true, timeout: 5000 }),
    runAsync: code => context.eval(code, { copy: true, promise: true, timeout: 5000 }) as Promise<any>,
    dispose: () => isolate.dispose(),
  }
}

/**
 * Helpers defined in both realms for `both()` scenarios: `err(f)` returns the error's name (or
 * 'ok:' + JSON of the result), so scenarios can compare failures without comparing messages.
 */
const PRELUDE = `var err = f => { try { return 'ok:' + JSON.stringify(f()) } catch (e) { return e && e.name } };\n`

/** Run `fn`'s source in Node and in the guest; both results are JSON round-tripped. */
export async function both(guest: Guest, fn: () => unknown): Promise<{ node: unknown; guest: unknown }> {
  const src = `(${fn.toString()})()`
  const node = JSON.parse(JSON.stringify((await (0, eval)(PRELUDE + src)) ?? null))
  const inGuest = JSON.parse(await guest.runAsync<string>(`${PRELUDE}(async () => JSON.stringify((await ${src}) ?? null))()`))
  return { node, guest: inGuest }
}

/** Evaluate the same scenario in both realms and return both results for `expect(...).toEqual`. */
export async function same(guest: Guest, fn: () => unknown): Promise<[unknown, unknown]> {
  const r = await both(guest, fn)
  return [r.guest, r.node]
}
