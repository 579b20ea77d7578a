import path from 'node:path'
import { envKeyProvider, SECRET_KEYS_ENV } from './env-key-provider.ts'
import { fileKeyProvider } from './file-key-provider.ts'
import type { KeyProvider } from './key-ring.ts'

export const KEY_FILE_NAME = 'secret-keys.json'

/**
 * The server's keys: `EDGEPAD_SECRET_KEYS` when set (containers, secret managers), otherwise
 * `<dataDir>/secret-keys.json`, generated with mode 0600 on first start.
 */
export function serverKeyProvider(options: { env: Record<string, string | undefined>; dataDir: string }): KeyProvider {
  if (options.env[SECRET_KEYS_ENV]) return envKeyProvider(options.env)
  return fileKeyProvider({ file: path.join(options.dataDir, KEY_FILE_NAME) })
}
