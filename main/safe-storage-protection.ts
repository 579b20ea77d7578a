import { safeStorage } from 'electron'
import type { KeyFileProtection } from '../core/secrets/file-key-provider.ts'

/** Seals the env-var key file with the OS keychain (Keychain, DPAPI, libsecret) via Electron safeStorage. */
export function safeStorageProtection(): KeyFileProtection | undefined {
  // Without a keychain (e.g. a bare Linux session) safeStorage would use a hard-coded key: stay with 0600 file mode then.
  if (!safeStorage.isEncryptionAvailable() || safeStorage.getSelectedStorageBackend?.() === 'basic_text') return undefined
  return {
    seal: (plain) => new Uint8Array(safeStorage.encryptString(Buffer.from(plain).toString('base64'))),
    open: (sealed) => new Uint8Array(Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64')),
  }
}
