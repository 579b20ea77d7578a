import os from 'node:os'
import path from 'node:path'
import { AppError } from '../common/errors.ts'
import type { FunctionRecord } from '../common/model/function.ts'
import { LOCAL_OWNER } from '../core/ide/functions-service.ts'
import { createAesGcmBox } from '../core/secrets/aes-gcm-box.ts'
import { fileKeyProvider } from '../core/secrets/file-key-provider.ts'
import { openStore } from '../core/store/open-store.ts'
import type { Store } from '../core/store/repos.ts'

/** The IDE's data dir: `--data-dir`, else EDGEPAD_IDE_DATA, else ~/.edgepad/ide (as the web host). */
export function dataDirFrom(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.EDGEPAD_IDE_DATA ?? path.join(os.homedir(), '.edgepad/ide'))
}

/**
 * The IDE's store, opened the way `openIde` opens it (same database, same env-var key file). A key
 * file sealed with the desktop keychain (Electron safeStorage) cannot be opened from here.
 */
export async function openLocalStore(dataDir: string): Promise<Store> {
  const keys = fileKeyProvider({ file: path.join(dataDir, 'secret-keys.json') })
  return openStore({ file: path.join(dataDir, 'edgepad.db'), secretBox: createAesGcmBox(await keys.load()), durability: 'normal' })
}

/** A local function by name (or id). */
export async function findLocalFunction(store: Store, nameOrId: string): Promise<FunctionRecord> {
  const all = await store.functions.list(LOCAL_OWNER)
  const found = all.find((f) => f.name === nameOrId || f.id === nameOrId)
  if (!found) throw new AppError('not_found', `No local function named "${nameOrId}"${all.length ? ` (have: ${all.map((f) => f.name).join(', ')})` : ''}`)
  return store.functions.get(found.id)
}
