import { createHash } from 'node:crypto'
import { AppError } from '../../common/errors.ts'
import { checkKeyRing, type KeyProvider, type KeyRing, type SecretKey } from './key-ring.ts'

export const SECRET_KEYS_ENV = 'EDGEPAD_SECRET_KEYS'

/**
 * Keys from an env var: either one base64 key (its id is derived from its hash, so it is stable
 * across restarts) or `id:base64,id:base64,...` with the current key first.
 */
export function parseKeyList(value: string, source: string): KeyRing {
  const entries = value.split(',').map((s) => s.trim()).filter(Boolean)
  if (entries.length === 0) throw new AppError('validation_failed', `${source} is empty`)
  const keys: SecretKey[] = entries.map((entry) => {
    const colon = entry.indexOf(':')
    const encoded = colon === -1 ? entry : entry.slice(colon + 1)
    const key = Buffer.from(encoded, 'base64')
    const id = colon === -1 ? `env-${createHash('sha256').update(key).digest('hex').slice(0, 12)}` : entry.slice(0, colon)
    return { id, key }
  })
  return checkKeyRing({ currentId: keys[0]!.id, keys }, source)
}

export function envKeyProvider(env: Record<string, string | undefined>, name = SECRET_KEYS_ENV): KeyProvider {
  return {
    async load() {
      const value = env[name]
      if (!value) throw new AppError('validation_failed', `${name} is not set`)
      return parseKeyList(value, name)
    },
  }
}
