import { AppError } from '../../common/errors.ts'

export const KEY_BYTES = 32

export interface SecretKey {
  /** Short printable id stored beside every ciphertext so old keys stay usable after rotation. */
  id: string
  key: Uint8Array
}

/** Every key that may still be needed to decrypt, and the one new data is sealed with. */
export interface KeyRing {
  currentId: string
  keys: SecretKey[]
}

/**
 * Where a host's keys come from. The server reads a key file or an env var; the desktop keeps
 * the same key file but sealed by Electron safeStorage (see `KeyFileProtection`). Async because
 * an OS keychain or KMS may sit behind it.
 */
export interface KeyProvider {
  load(): Promise<KeyRing>
}

const keyIdPattern = /^[A-Za-z0-9_.-]{1,64}$/

/** Rejects rings that would fail later in confusing ways: bad ids, short keys, duplicates, no current key. */
export function checkKeyRing(ring: KeyRing, source: string): KeyRing {
  const seen = new Set<string>()
  for (const { id, key } of ring.keys) {
    if (!keyIdPattern.test(id)) throw new AppError('validation_failed', `${source}: key id "${id}" must be 1–64 of A-Z a-z 0-9 _ . -`)
    if (key.byteLength !== KEY_BYTES) throw new AppError('validation_failed', `${source}: key "${id}" must be ${KEY_BYTES} bytes, got ${key.byteLength}`)
    if (seen.has(id)) throw new AppError('validation_failed', `${source}: key id "${id}" appears twice`)
    seen.add(id)
  }
  if (!seen.has(ring.currentId)) throw new AppError('validation_failed', `${source}: current key "${ring.currentId}" is not in the ring`)
  return ring
}
