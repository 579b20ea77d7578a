import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../common/errors.ts'
import { createAesGcmBox } from './aes-gcm-box.ts'

const key = (id: string) => ({ id, key: randomBytes(32) })
const text = (s: string) => Buffer.from(s, 'utf8')

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return error instanceof AppError ? error.code : 'not-an-app-error'
  }
  return undefined
}

describe('AES-256-GCM secret box', () => {
  it('round-trips bytes and records the key id beside the ciphertext', () => {
    const k1 = key('k1')
    const box = createAesGcmBox({ currentId: 'k1', keys: [k1] })
    const sealed = box.encrypt(text('s3cret value ✓'), 'env:f1:TOKEN')
    expect(Buffer.from(sealed).includes(text('s3cret'))).toBe(false)
    expect(box.keyIdOf(sealed)).toBe('k1')
    expect(Buffer.from(box.decrypt(sealed, 'env:f1:TOKEN')).toString('utf8')).toBe('s3cret value ✓')
  })

  it('uses a fresh nonce for every message', () => {
    const box = createAesGcmBox({ currentId: 'k1', keys: [key('k1')] })
    const a = Buffer.from(box.encrypt(text('same')))
    const b = Buffer.from(box.encrypt(text('same')))
    expect(a.equals(b)).toBe(false)
  })

  it('fails with decryption_failed under a wrong key with the same id', () => {
    const sealed = createAesGcmBox({ currentId: 'k1', keys: [key('k1')] }).encrypt(text('x'))
    const other = createAesGcmBox({ currentId: 'k1', keys: [key('k1')] })
    expect(codeOf(() => other.decrypt(sealed))).toBe('decryption_failed')
  })

  it('fails when the key id is unknown, the context differs or a byte is flipped', () => {
    const box = createAesGcmBox({ currentId: 'k1', keys: [key('k1')] })
    const sealed = Buffer.from(box.encrypt(text('value'), 'env:f1:A'))
    expect(codeOf(() => box.decrypt(sealed, 'env:f2:A'))).toBe('decryption_failed')
    const flipped = Buffer.from(sealed)
    flipped[flipped.length - 20]! ^= 1
    expect(codeOf(() => box.decrypt(flipped, 'env:f1:A'))).toBe('decryption_failed')
    expect(codeOf(() => createAesGcmBox({ currentId: 'k2', keys: [key('k2')] }).decrypt(sealed, 'env:f1:A'))).toBe('decryption_failed')
    expect(codeOf(() => box.decrypt(new Uint8Array([9, 9, 9])))).toBe('decryption_failed')
  })

  it('rotates: new data uses the current key, old ciphertexts still open with their own key', () => {
    const k1 = key('k1')
    const k2 = key('k2')
    const before = createAesGcmBox({ currentId: 'k1', keys: [k1] }).encrypt(text('old'))
    const after = createAesGcmBox({ currentId: 'k2', keys: [k1, k2] })
    const fresh = after.encrypt(text('new'))
    expect(after.keyIdOf(before)).toBe('k1')
    expect(after.keyIdOf(fresh)).toBe('k2')
    expect(Buffer.from(after.decrypt(before)).toString()).toBe('old')
    expect(Buffer.from(after.decrypt(fresh)).toString()).toBe('new')
    // Dropping the old key makes old data unreadable rather than silently wrong.
    expect(codeOf(() => createAesGcmBox({ currentId: 'k2', keys: [k2] }).decrypt(before))).toBe('decryption_failed')
  })

  it('rejects malformed key rings', () => {
    expect(codeOf(() => createAesGcmBox({ currentId: 'k1', keys: [{ id: 'k1', key: randomBytes(16) }] }))).toBe('validation_failed')
    expect(codeOf(() => createAesGcmBox({ currentId: 'k9', keys: [key('k1')] }))).toBe('validation_failed')
    expect(codeOf(() => createAesGcmBox({ currentId: 'k1', keys: [key('k1'), key('k1')] }))).toBe('validation_failed')
  })
})
