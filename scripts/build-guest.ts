/** Writes the guest bootstrap bundle for builds that ship without TypeScript sources or esbuild. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildExtrasBundle, buildGuestBundle } from '../core/runtime/guest-bundle.ts'

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'core', 'runtime', 'guest', 'dist', 'bootstrap.js')
mkdirSync(dirname(out), { recursive: true })
const code = await buildGuestBundle()
writeFileSync(out, code)
console.log(`wrote ${out} (${code.length} bytes)`)
const extrasOut = join(dirname(out), 'extras.js')
const extras = await buildExtrasBundle()
writeFileSync(extrasOut, extras)
console.log(`wrote ${extrasOut} (${extras.length} bytes)`)
