/**
 * The desktop package, checked as far as a machine without the Electron binary and electron-builder's
 * helper downloads allows: the configuration validates, `electron-builder --dir` packs the built app
 * against a stand-in Electron (scripts/pack.ts), resources/ holds what the app needs and nothing
 * else, and the packaged runtime worker runs a function on the bundled Node from the unpacked folder.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { isBuiltin } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { DebugLogger } from 'builder-util'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRuntime } from '../core/runtime/runtime.ts'
import { resolveNodeBinary, resolveWorkerEntry } from '../main/node-binary.ts'
import { ICON_SIZES } from './make-icons.ts'
import { formatSizes, packageSizes, unpackedDirName } from './pack.ts'

const root = path.resolve(import.meta.dirname, '..')
const platformArch = `${process.platform}-${process.arch}`

interface AsarEntry {
  path: string
  size: number
  offset: number
  unpacked: boolean
}

/** Reads an asar archive's index: a Chromium pickle header, then JSON describing the tree. */
function readAsar(file: string): AsarEntry[] {
  const buffer = readFileSync(file)
  const jsonLength = buffer.readUInt32LE(12)
  const header = JSON.parse(buffer.toString('utf8', 16, 16 + jsonLength)) as AsarNode
  const entries: AsarEntry[] = []
  const walk = (node: AsarNode, at: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      const p = at ? `${at}/${name}` : name
      if (child.files) walk(child, p)
      else entries.push({ path: p, size: child.size ?? 0, offset: Number(child.offset ?? 0), unpacked: child.unpacked === true })
    }
  }
  walk(header, '')
  return entries
}
interface AsarNode {
  files?: Record<string, AsarNode>
  size?: number
  offset?: string
  unpacked?: boolean
}

/** A packed file's bytes: they start after the header, at the entry's offset. */
function readAsarFile(file: string, entry: AsarEntry): Buffer {
  const buffer = readFileSync(file)
  const start = 8 + buffer.readUInt32LE(4) + entry.offset
  return buffer.subarray(start, start + entry.size)
}

function listFiles(dir: string, at = ''): string[] {
  return readdirSync(path.join(dir, at), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, path.join(at, entry.name)) : [path.join(at, entry.name)],
  )
}

/** Bare package names a built file imports (Node built-ins and electron left out). */
function bareImports(file: string): string[] {
  const code = readFileSync(file, 'utf8')
  const names = new Set<string>()
  const statements = /^\s*(?:import|export)\b[^'"\n]*?["']([^"'\n]+)["']/gm // import x from "y" at the top level
  const calls = /\b(?:require|import)\(\s*["']([^"'\n]+)["']\s*\)/g // require("y"), import("y")
  for (const match of [...code.matchAll(statements), ...code.matchAll(calls)]) {
    const spec = match[1]!
    if (spec.startsWith('.') || isBuiltin(spec) || spec === 'electron' || spec.startsWith('edgepad:')) continue
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)
  }
  return [...names].sort()
}

describe('electron-builder configuration', () => {
  it('validates, and the validator rejects a misspelt key', async () => {
    const config = await getConfig(root, null, null)
    await validateConfiguration(config, new DebugLogger(false))
    expect(config.appId).toBe('dev.edgepad.app')
    expect(config.productName).toBe('Edgepad')
    expect(config.linux?.category).toBe('Development')
    expect(config.linux?.target).toEqual(['AppImage', 'deb'])
    const bad = await getConfig(root, null, { appIdd: 'dev.edgepad.app' } as never)
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/unknown property 'appIdd'/)
  })

  it('has the icon at every size Linux desktops ask for', () => {
    for (const size of ICON_SIZES) {
      const png = readFileSync(path.join(root, 'resources/icons', `${size}x${size}.png`))
      expect(png.subarray(1, 4).toString()).toBe('PNG')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size])
    }
    expect(readFileSync(path.join(root, 'resources/icon.png')).readUInt32BE(16)).toBe(512)
  })
})

describe.runIf(process.platform === 'linux')('the packed app', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'edgepad-pack-'))
  const unpackedDir = path.join(out, unpackedDirName())
  const resources = path.join(unpackedDir, 'resources')
  let asar: AsarEntry[] = []

  beforeAll(() => {
    // Builds out/ (electron-vite + worker) and packs it, exactly as `npm run pack:dir` does.
    const result = spawnSync(process.execPath, [path.join(root, 'scripts/pack.ts'), '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_UPDATE_NOTIFIER: '1' },
      timeout: 280_000,
    })
    if (result.status !== 0) throw new Error(`pack.ts failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`)
    asar = readAsar(path.join(resources, 'app.asar'))
  }, 300_000)
  afterAll(() => rmSync(out, { recursive: true, force: true }))

  it('holds the built app and the production dependencies main needs, and no sources or maps', () => {
    const paths = new Set(asar.map((entry) => entry.path))
    for (const file of ['package.json', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) expect(paths).toContain(file)
    const metadata = JSON.parse(readAsarFile(path.join(resources, 'app.asar'), asar.find((entry) => entry.path === 'package.json')!).toString())
    const own = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
    expect(metadata).toMatchObject({ name: own.name, version: own.version, main: 'out/main/index.js', desktopName: 'edgepad.desktop' })
    const unpacked = listFiles(path.join(resources, 'app.asar.unpacked'))
    const everything = [...paths, ...unpacked]
    expect(everything.filter((file) => /\.(map|ts|tsx|mts|cts)$/.test(file))).toEqual([])
    // Renderer libraries are bundled by vite; shipping node_modules copies of them would double the size.
    expect(everything.filter((file) => /^node_modules\/(react|react-dom|monaco-editor|uplot)\//.test(file))).toEqual([])
    for (const name of bareImports(path.join(root, 'out/main/index.js'))) expect(paths, `main imports ${name}`).toContain(`node_modules/${name}/package.json`)
  })

  it('unpacks the worker and every native file, for this platform only', () => {
    const unpackedRoot = path.join(resources, 'app.asar.unpacked')
    const unpacked = listFiles(unpackedRoot)
    expect(unpacked).toContain('out/worker/worker-main.mjs')
    expect(unpacked).toContain('out/worker/guest/dist/bootstrap.js')
    expect(unpacked).toContain('out/worker/guest/dist/extras.js')
    // A plain Node resolves the worker's imports from real files, so each must be unpacked.
    for (const name of bareImports(path.join(unpackedRoot, 'out/worker/worker-main.mjs'))) {
      expect(existsSync(path.join(unpackedRoot, 'node_modules', name, 'package.json')), `worker imports ${name}`).toBe(true)
    }
    expect(asar.filter((entry) => entry.path.endsWith('.node') && !entry.unpacked)).toEqual([])
    const natives = unpacked.filter((file) => file.endsWith('.node'))
    expect(natives.filter((file) => file.startsWith(`node_modules/isolated-vm/prebuilds/${platformArch}/`)).length).toBeGreaterThan(0)
    expect(natives).toContain(`node_modules/better-sqlite3/prebuilds/${platformArch}.node`)
    expect(natives.filter((file) => !file.includes(platformArch) || file.includes('musl'))).toEqual([])
    expect(unpacked.filter((file) => file.startsWith('node_modules/@esbuild/') && !file.startsWith(`node_modules/@esbuild/${platformArch}/`))).toEqual([])
  })

  it('bundles the Node 24 the workers run on, with its license', () => {
    const node = path.join(resources, 'node/bin/node')
    accessSync(node, constants.X_OK)
    const version = JSON.parse(readFileSync(path.join(root, 'node_modules/node/package.json'), 'utf8')).version as string
    expect(execFileSync(node, ['-v'], { encoding: 'utf8' }).trim()).toBe(`v${version}`)
    expect(readFileSync(path.join(resources, 'node/LICENSE'), 'utf8')).toMatch(/Node\.js is licensed/)
  })

  it('runs a function in the packaged worker on the bundled Node, as main does', async () => {
    // The lookup main/services.ts makes when app.isPackaged: appRoot is resources/app.asar.
    const lookup = { appRoot: path.join(resources, 'app.asar'), resourcesPath: resources, env: {} }
    const nodePath = resolveNodeBinary(lookup)
    const workerEntry = resolveWorkerEntry(lookup)
    expect(nodePath).toBe(path.join(resources, 'node/bin/node'))
    expect(workerEntry).toBe(path.join(resources, 'app.asar.unpacked/out/worker/worker-main.mjs'))
    const runtime = createRuntime({ workers: 1, nodePath, workerEntry })
    try {
      // TypeScript (esbuild from the unpacked node_modules) and URLPattern (the prebuilt extras bundle).
      const code = [
        'interface Greeting { hello: string; matched: boolean }',
        'export default { async fetch(request: Request): Promise<Response> {',
        '  const url = new URL(request.url)',
        '  const body: Greeting = { hello: url.searchParams.get("name") ?? "?", matched: new URLPattern({ pathname: "/hi/:x" }).test(url) }',
        '  console.log("packaged", typeof process)',
        '  return Response.json(body, { headers: { "x-node": "bundled" } })',
        '} }',
      ].join('\n')
      const result = await runtime.run(
        { id: 'packaged-check', code, runtime: 'TYPESCRIPT', timeoutMs: 10_000 },
        { method: 'GET', path: '/hi/there', query: { name: 'ada' } },
      )
      expect(result.error).toBeUndefined()
      expect(result.outcome).toBe('ok')
      expect(result.response.statusCode).toBe(200)
      expect(result.response.headers['x-node']).toBe('bundled')
      expect(JSON.parse(Buffer.from(result.response.body).toString())).toEqual({ hello: 'ada', matched: true })
      const stats = await runtime.stats()
      expect(readFileSync(`/proc/${stats[0]!.pid}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining([nodePath, workerEntry]))
    } finally {
      await runtime.close()
    }
  })

  it('reports its size', () => {
    const sizes = packageSizes(unpackedDir)
    console.log(formatSizes(sizes))
    // Lean: the app without the bundled Node stays well under the 160 MB it was with renderer libraries in node_modules.
    expect(sizes.asar + sizes.unpacked).toBeLessThan(80 * 1048576)
  })
})
