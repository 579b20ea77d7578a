import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
/** Written by `npm run build:guest` for packaged builds, which carry no TypeScript sources or esbuild. */
const PREBUILT = join(here, 'guest', 'dist', 'bootstrap.js')

let cached: string | undefined

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
