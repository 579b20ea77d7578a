import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { findElectronBinary } from './electron-binary.ts'

// `npm start`: the desktop app where Electron is installed, otherwise the same IDE in web mode.
const root = path.resolve(import.meta.dirname, '..')
const bin = (name: string) => path.join(root, 'node_modules/.bin', name)
const run = (command: string, args: string[]) => spawnSync(command, args, { cwd: root, stdio: 'inherit' }).status ?? 1

const electron = findElectronBinary()
if (electron) {
  const built = run(bin('electron-vite'), ['build'])
  process.exit(built === 0 ? run(electron, [path.join(root, 'out/main/index.js')]) : built)
}
console.log('Electron binary not installed here, so starting web mode instead: open the URL below in a browser.')
const built = run(bin('vite'), ['build', '--config', path.join(root, 'vite.renderer.config.ts'), '--logLevel', 'warn'])
process.exit(built === 0 ? run(process.execPath, [path.join(root, 'web/main.ts'), ...process.argv.slice(2)]) : built)
