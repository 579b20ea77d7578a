/**
 * Builds the runtime worker for packaged apps: `out/worker/worker-main.mjs`, one plain-JS file a
 * plain Node 24 runs from `app.asar.unpacked` (it cannot read inside the asar), plus the prebuilt
 * guest bundles beside it, where core/runtime/guest-bundle.ts looks (`guest/dist/*.js` next to the
 * bundled code), so a packaged app never runs esbuild to build them.
 *
 * Only the native or binary-carrying packages stay external: isolated-vm (a `.node` addon) and
 * esbuild (strips types from users' TypeScript functions with its own executable).
 *
 *   node scripts/build-worker.ts [--out <dir>]   (default: out/worker)
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { buildExtrasBundle, buildGuestBundle } from '../core/runtime/guest-bundle.ts'

/** Resolved from the unpacked node_modules at run time; they must be listed in electron-builder.yml's asarUnpack. */
export const WORKER_EXTERNALS = ['isolated-vm', 'esbuild']

const root = path.resolve(import.meta.dirname, '..')
const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(root, 'out/worker') } } })
const outDir = path.resolve(values.out)

const started = performance.now()
rmSync(outDir, { recursive: true, force: true })
const result = await build({
  entryPoints: { 'worker-main': path.join(root, 'core/runtime/worker-main.ts') },
  outdir: outDir,
  outExtension: { '.js': '.mjs' }, // no package.json beside it in app.asar.unpacked says "module"
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: WORKER_EXTERNALS,
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins.
  banner: { js: "import { createRequire as __edgepadCreateRequire } from 'node:module'; const require = __edgepadCreateRequire(import.meta.url);" },
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  metafile: true,
})

const guestDir = path.join(outDir, 'guest', 'dist')
mkdirSync(guestDir, { recursive: true })
const [bootstrap, extras] = await Promise.all([buildGuestBundle(), buildExtrasBundle()])
writeFileSync(path.join(guestDir, 'bootstrap.js'), bootstrap)
writeFileSync(path.join(guestDir, 'extras.js'), extras)

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`
const entry = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('worker-main.mjs'))!
console.log(
  `worker → ${path.relative(root, outDir)}/worker-main.mjs ${kb(entry[1].bytes)}, guest bootstrap ${kb(bootstrap.length)}, extras ${kb(extras.length)} ` +
    `(${Object.keys(result.metafile.inputs).length} modules, ${(performance.now() - started).toFixed(0)} ms)`,
)
