import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * The Electron executable if it is really installed, else null. Mirrors
 * node_modules/electron/index.js without requiring it: that require starts a download.
 */
export function findElectronBinary(): string | null {
  const exec = process.env.ELECTRON_EXEC_PATH
  if (exec && existsSync(exec)) return exec
  let pkgDir: string
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return null
  }
  const pathTxt = join(pkgDir, 'path.txt') // written only after a successful download
  const rel = existsSync(pathTxt) ? readFileSync(pathTxt, 'utf8').trim() : null
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (!override && !rel) return null
  const exe = join(override ?? join(pkgDir, 'dist'), rel ?? 'electron')
  return existsSync(exe) ? exe : null
}
