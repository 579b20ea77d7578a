import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** Written by `npm run build:guest` for packaged builds, which carry no TypeScript sources or esbuild. */
const PREBUILT = join(here, 'guest', 'dist', 'bootstrap.js')
const PREBUILT_EXTRAS = join(here, 'guest', 'dist', 'extras.js')

let cached: string | undefined
let cachedExtras: string | undefined

/**
 * The guest bootstrap as one script. Strict mode matters: V8's CallSite API hides functions and
 * receivers of strict frames, so `Error.prepareStackTrace` cannot reach into our closures.
 */
export async function guestBundle(): Promise<string> {
  if (cached !== undefined) return cached
  if (existsSync(PREBUILT) && !process.env.EDGEPAD_GUEST_FROM_SOURCE) {
    cached = readFileSync(PREBUILT, 'utf8')
    return cached
  }
  cached = await buildGuestBundle()
  return cached
}

/**
 * The extras bundle (streams, Blob/FormData, URLPattern, events, crypto.subtle): evaluated into a
 * context only when its code first touches one of them (see guest/extras-loader.ts). Synchronous,
 * because the host evaluates it from inside a guest call; `prepareExtrasBundle` warms it up front.
 */
export function extrasBundle(): string {
  if (cachedExtras !== undefined) return cachedExtras
  if (existsSync(PREBUILT_EXTRAS) && !process.env.EDGEPAD_GUEST_FROM_SOURCE) {
    cachedExtras = readFileSync(PREBUILT_EXTRAS, 'utf8')
    return cachedExtras
  }
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild')
  cachedExtras = esbuild.buildSync({ ...buildOptions(EXTRAS_ENTRY, true), write: false }).outputFiles![0]!.text
  return cachedExtras
}

const EXTRAS_ENTRY = join(here, 'guest', 'extras', 'index.ts')

export async function buildExtrasBundle(options: { minify?: boolean } = {}): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({ ...buildOptions(EXTRAS_ENTRY, options.minify ?? true), write: false })
  return result.outputFiles![0]!.text
}

function buildOptions(entry: string, minify: boolean): import('esbuild').BuildOptions {
  return {
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2023',
    minify,
    keepNames: false,
    legalComments: 'none',
    banner: { js: '"use strict";' },
  }
}

export async function buildGuestBundle(options: { minify?: boolean } = {}): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: [join(here, 'guest', 'bootstrap.ts')],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2023',
    minify: options.minify ?? true,
    keepNames: false,
    legalComments: 'none',
    banner: { js: '"use strict";' },
    write: false,
  })
  return result.outputFiles[0]!.text
}
