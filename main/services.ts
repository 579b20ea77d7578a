import path from 'node:path'
import { app } from 'electron'
import { openIde, type IdeCore } from '../core/ide/open-ide.ts'
import { resolveNodeBinary, resolveWorkerEntry, type RuntimeHostLookup } from './node-binary.ts'
import { safeStorageProtection } from './safe-storage-protection.ts'

/** The desktop composition root: the same IDE services as web mode, wired to Electron's adapters. */
export async function openDesktopServices(appRoot: string, emit: (event: string, payload: unknown) => void): Promise<IdeCore> {
  const protection = safeStorageProtection()
  // Workers run on a plain Node 24: the TypeScript source in development, the unpacked build in a package.
  const lookup: RuntimeHostLookup = { appRoot, ...(app.isPackaged ? { resourcesPath: process.resourcesPath } : {}) }
  return openIde({
    dataDir: path.join(app.getPath('userData'), 'data'),
    host: 'desktop',
    nodePath: resolveNodeBinary(lookup),
    workerEntry: resolveWorkerEntry(lookup),
    ...(protection ? { protection } : {}),
    emit,
  })
}
