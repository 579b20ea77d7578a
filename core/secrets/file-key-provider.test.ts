import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAesGcmBox } from './aes-gcm-box.ts'
import { envKeyProvider, parseKeyList } from './env-key-provider.ts'
import { fileKeyProvider, rotateKeyFile } from './file-key-provider.ts'
import { KEY_FILE_NAME, serverKeyProvider } from './server-key-provider.ts'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-keys-'))
})
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }))

const posix = process.platform !== 'win32'

describe('file key provider', () => {
  it('generates a 0600 key file on first load and returns the same key afterwards', async () => {
    const file = path.join(dir, 'nested', 'keys.json')
    const first = await fileKeyProvider({ file }).load()
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const second = await fileKeyProvider({ file }).load()
    expect(second.currentId).toBe(first.currentId)
    expect(Buffer.from(second.keys[0]!.key).equals(Buffer.from(first.keys[0]!.key))).toBe(true)
    expect(fs.readdirSync(path.dirname(file))).toEqual(['keys.json'])
  })

  it('agrees on one key when several loaders race to create the file', async () => {
    const file = path.join(dir, 'keys.json')
    const rings = await Promise.all(Array.from({ length: 8 }, () => fileKeyProvider({ file }).load()))
    expect(new Set(rings.map((r) => r.currentId)).size).toBe(1)
  })

  it.runIf(posix)('refuses a key file other users can read', async () => {
    const file = path.join(dir, 'keys.json')
    await fileKeyProvider({ file }).load()
    fs.chmodSync(file, 0o644)
    await expect(fileKeyProvider({ file }).load()).rejects.toMatchObject({ code: 'forbidden' })
  })

  it('rotates: old ciphertexts still decrypt, new ones use the new key', async () => {
    const file = path.join(dir, 'keys.json')
    const before = createAesGcmBox(await fileKeyProvider({ file }).load())
    const sealed = before.encrypt(Buffer.from('v1'))
    const rotated = await rotateKeyFile({ file })
    if (posix) expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const after = createAesGcmBox(await fileKeyProvider({ file }).load())
    expect(after.currentKeyId).toBe(rotated.currentId)
    expect(after.currentKeyId).not.toBe(before.currentKeyId)
    expect(Buffer.from(after.decrypt(sealed)).toString()).toBe('v1')
  })

  it('stores the file sealed when given a protection (the desktop safeStorage shape)', async () => {
    const file = path.join(dir, 'keys.bin')
    const mask = (b: Uint8Array) => Buffer.from(b).map((x) => x ^ 0x5a)
    const protection = { seal: mask, open: mask }
    const ring = await fileKeyProvider({ file, protection }).load()
    expect(fs.readFileSync(file).toString('utf8')).not.toContain(ring.currentId)
    expect((await fileKeyProvider({ file, protection }).load()).currentId).toBe(ring.currentId)
    await expect(fileKeyProvider({ file }).load()).rejects.toMatchObject({ code: 'validation_failed' })
  })
})

describe('env key provider', () => {
  it('accepts one bare key with a stable derived id, or an id:key list with the current key first', async () => {
    const a = randomBytes(32).toString('base64')
    const b = randomBytes(32).toString('base64')
    const single = await envKeyProvider({ EDGEPAD_SECRET_KEYS: a }).load()
    expect(single.currentId).toMatch(/^env-[0-9a-f]{12}$/)
    expect((await envKeyProvider({ EDGEPAD_SECRET_KEYS: a }).load()).currentId).toBe(single.currentId)
    const list = parseKeyList(`new:${b}, old:${a}`, 'test')
    expect(list.currentId).toBe('new')
    expect(list.keys.map((k) => k.id)).toEqual(['new', 'old'])
  })

  it('rejects missing or short keys', async () => {
    await expect(envKeyProvider({}).load()).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(envKeyProvider({ EDGEPAD_SECRET_KEYS: 'k:' + randomBytes(8).toString('base64') }).load()).rejects.toMatchObject({
      code: 'validation_failed',
    })
  })

  it('server provider prefers the env var and falls back to a key file in the data dir', async () => {
    const a = randomBytes(32).toString('base64')
    const fromEnv = await serverKeyProvider({ env: { EDGEPAD_SECRET_KEYS: `e1:${a}` }, dataDir: dir }).load()
    expect(fromEnv.currentId).toBe('e1')
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(false)
    await serverKeyProvider({ env: {}, dataDir: dir }).load()
    expect(fs.existsSync(path.join(dir, KEY_FILE_NAME))).toBe(true)
  })
})
