import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { AppError } from '../../common/errors.ts'
import { checkKeyRing, type KeyRing } from './key-ring.ts'
import type { SecretBox } from './secret-box.ts'

const FORMAT_VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message. Layout:
 * `version(1) | idLength(1) | keyId | nonce(12) | ciphertext | tag(16)`.
 * The header and the caller's context are authenticated as associated data.
 */
export function createAesGcmBox(ring: KeyRing): SecretBox {
  checkKeyRing(ring, 'secret keys')
  const keys = new Map(ring.keys.map((k) => [k.id, Buffer.from(k.key)]))
  const currentKey = keys.get(ring.currentId)!
  const currentHeader = header(ring.currentId)

  return {
    currentKeyId: ring.currentId,
    encrypt(plaintext, context = '') {
      const nonce = randomBytes(NONCE_BYTES)
      const cipher = createCipheriv('aes-256-gcm', currentKey, nonce, { authTagLength: TAG_BYTES })
      cipher.setAAD(aad(currentHeader, context))
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
      return Buffer.concat([currentHeader, nonce, body, cipher.getAuthTag()])
    },
    decrypt(sealed, context = '') {
      const { keyId, headerLength } = parseHeader(sealed)
      const key = keys.get(keyId)
      if (!key) throw new AppError('decryption_failed', `Secret was sealed with key "${keyId}", which is not configured`)
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength)
      if (buf.length < headerLength + NONCE_BYTES + TAG_BYTES) throw new AppError('decryption_failed', 'Sealed secret is truncated')
      const nonce = buf.subarray(headerLength, headerLength + NONCE_BYTES)
      const tag = buf.subarray(buf.length - TAG_BYTES)
      const body = buf.subarray(headerLength + NONCE_BYTES, buf.length - TAG_BYTES)
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES })
        decipher.setAAD(aad(buf.subarray(0, headerLength), context))
        decipher.setAuthTag(tag)
        return Buffer.concat([decipher.update(body), decipher.final()])
      } catch {
        throw new AppError('decryption_failed', `Secret did not authenticate with key "${keyId}" (wrong key, tampered data or wrong context)`)
      }
    },
    keyIdOf(sealed) {
      return parseHeader(sealed).keyId
    },
  }
}

function header(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'utf8')
  return Buffer.concat([Buffer.from([FORMAT_VERSION, id.length]), id])
}

function aad(headerBytes: Uint8Array, context: string): Buffer {
  return Buffer.concat([headerBytes, Buffer.from(context, 'utf8')])
}

function parseHeader(sealed: Uint8Array): { keyId: string; headerLength: number } {
  if (sealed.byteLength < 2 || sealed[0] !== FORMAT_VERSION) throw new AppError('decryption_failed', 'Not a sealed secret (unknown format)')
  const idLength = sealed[1]!
  if (sealed.byteLength < 2 + idLength) throw new AppError('decryption_failed', 'Sealed secret is truncated')
  const keyId = Buffer.from(sealed.buffer, sealed.byteOffset + 2, idLength).toString('utf8')
  return { keyId, headerLength: 2 + idLength }
}
