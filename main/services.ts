import path from 'node:path'
import { app } from 'electron'
import { openIde, type IdeCore } from '../core/ide/open-ide.ts'
import { resolveNodeBinary } from './node-binary.ts'
import { safeStorageProtection } from './safe-storage-protection.ts'

/** The desktop composition root: the same IDE services as web mode, wired to Electron's adapters. */
export async function openDesktopServices(appRoot: string, emit: (event: string, payload: unknown) => void): Promise<IdeCore> {
  const protection = safeStorageProtection()
  return openIde({
    dataDir: path.join(app.getPath('userData'), 'data'),
    host: 'desktop',
    nodePath: resolveNodeBinary(appRoot),
    // The bundled main cannot hold the worker entry: workers run the TypeScript source on plain Node 24.
    workerEntry: path.join(appRoot, 'core/runtime/worker-main.ts'),
    ...(protection ? { protection } : {}),
    emit,
  })
}
