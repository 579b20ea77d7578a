/**
 * `npm run pack:dir`: builds the app (electron-vite + the runtime worker), packs it with
 * electron-builder into an unpacked directory for this platform and prints its size.
 *
 * Electron comes from node_modules/electron when its binary has been downloaded. Otherwise (as on
 * machines without GitHub access) a stand-in distribution is used: the resources/ layout is the
 * real one and the packaged worker can be run, but the directory's `edgepad` is not Electron.
 *
 *   node scripts/pack.ts [--out <dir>] [--skip-build]
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { findElectronBinary } from './electron-binary.ts'

const root = path.resolve(import.meta.dirname, '..')

/** electron-builder's name for the unpacked directory of this platform. */
export function unpackedDirName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const suffix = arch === 'x64' ? '' : `-${arch}`
  if (platform === 'darwin') return arch === 'x64' ? 'mac' : `mac-${arch}`
  return `${platform === 'win32' ? 'win' : 'linux'}${suffix}-unpacked`
}

/** A directory electron-builder accepts as an Electron distribution: an `electron` executable, LICENSE, resources/. */
export function createStandInElectron(dir: string): string {
  mkdirSync(path.join(dir, 'resources'), { recursive: true })
  const exe = path.join(dir, process.platform === 'win32' ? 'electron.exe' : 'electron')
  writeFileSync(exe, '#!/bin/sh\necho "stand-in Electron: this package was built without the Electron binary" >&2\nexit 1\n')
  chmodSync(exe, 0o755)
  writeFileSync(path.join(dir, 'LICENSE'), 'Stand-in for the Electron distribution (MIT, https://github.com/electron/electron).\n')
  return dir
}

function du(target: string): number {
  const stat = statSync(target, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.size
  return readdirSync(target).reduce((sum, name) => sum + du(path.join(target, name)), 0)
}

export interface PackageSizes {
  asar: number
  unpacked: number
  node: number
  total: number
}

/** Byte counts of an unpacked app directory's parts (Linux/Windows layout: <dir>/resources/). */
export function packageSizes(unpackedDir: string): PackageSizes {
  const resources = path.join(unpackedDir, 'resources')
  return {
    asar: du(path.join(resources, 'app.asar')),
    unpacked: du(path.join(resources, 'app.asar.unpacked')),
    node: du(path.join(resources, 'node')),
    total: du(unpackedDir),
  }
}

export function formatSizes(sizes: PackageSizes): string {
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`.padStart(10)
  const rows: [string, number][] = [
    ['resources/app.asar', sizes.asar],
    ['resources/app.asar.unpacked', sizes.unpacked],
    ['resources/node (bundled Node)', sizes.node],
    ['Electron and the rest', sizes.total - sizes.asar - sizes.unpacked - sizes.node],
    ['total', sizes.total],
  ]
  return rows.map(([name, bytes]) => `${name.padEnd(30)}${mb(bytes)}`).join('\n')
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env })
  if (result.status !== 0) {
    console.error(`${path.basename(command)} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`)
    process.exit(result.status ?? 1)
  }
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: path.join(root, 'release') }, 'skip-build': { type: 'boolean', default: false } } })
  const out = path.resolve(values.out)
  const bin = (name: string) => path.join(root, 'node_modules', '.bin', name)
  if (!values['skip-build']) {
    run(bin('electron-vite'), ['build', '--logLevel', 'warn'])
    run(process.execPath, [path.join(root, 'scripts', 'build-worker.ts')])
  }
  const electron = findElectronBinary()
  let standIn: string | null = null
  const electronDist = electron ? path.dirname(electron) : (standIn = createStandInElectron(mkdtempSync(path.join(os.tmpdir(), 'edgepad-electron-'))))
  if (standIn) console.log('Electron binary not installed: packing against a stand-in Electron (the layout is real, the app cannot be launched)')
  const started = performance.now()
  run(bin('electron-builder'), ['--dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${out}`], {
    ...process.env,
    NO_UPDATE_NOTIFIER: '1',
  })
  if (standIn) rmSync(standIn, { recursive: true, force: true })
  const unpacked = path.join(out, unpackedDirName())
  console.log(`\n${path.relative(root, unpacked) || unpacked} (electron-builder ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  console.log(formatSizes(packageSizes(unpacked)))
}
