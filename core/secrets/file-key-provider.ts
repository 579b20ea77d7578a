import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../../common/errors.ts'
import { parseOrThrow } from '../../common/validation.ts'
import { KEY_BYTES, checkKeyRing, type KeyProvider, type KeyRing } from './key-ring.ts'

/**
 * Optional wrapping of the key file's bytes. The desktop passes Electron safeStorage here
 * (encryptString/decryptString), so the key file on disk is only readable by the OS user's keychain.
 */
export interface KeyFileProtection {
  seal(plain: Uint8Array): Uint8Array | Promise<Uint8Array>
  open(sealed: Uint8Array): Uint8Array | Promise<Uint8Array>
}

export interface FileKeyProviderOptions {
  file: string
  protection?: KeyFileProtection
}

const keyFileSchema = z.object({
  version: z.literal(1),
  currentId: z.string(),
  keys: z.array(z.object({ id: z.string(), key: z.string(), createdAt: z.number().optional() })).min(1),
})

/** Reads the ring from `file`, creating it (mode 0600, one fresh key) the first time. */
export function fileKeyProvider(options: FileKeyProviderOptions): KeyProvider {
  return {
    async load() {
      if (!fs.existsSync(options.file)) await createKeyFile(options)
      return readKeyFile(options)
    },
  }
}

/** Adds a fresh key and makes it current; older keys stay so existing ciphertexts still open. */
export async function rotateKeyFile(options: FileKeyProviderOptions): Promise<KeyRing> {
  const ring = await readKeyFile(options)
  const fresh = { id: newKeyId(), key: randomBytes(KEY_BYTES) }
  const next: KeyRing = { currentId: fresh.id, keys: [...ring.keys, fresh] }
  const tmp = await writeTemp(options, next)
  fs.renameSync(tmp, options.file)
  return next
}

export function newKeyId(): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '')
  return `k${day}-${randomBytes(4).toString('hex')}`
}

async function createKeyFile(options: FileKeyProviderOptions): Promise<void> {
  const key = { id: newKeyId(), key: randomBytes(KEY_BYTES) }
  const tmp = await writeTemp(options, { currentId: key.id, keys: [key] })
  try {
    // link() fails if the file exists, so two processes starting together agree on one key.
    fs.linkSync(tmp, options.file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

async function writeTemp(options: FileKeyProviderOptions, ring: KeyRing): Promise<string> {
  fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 })
  const json = JSON.stringify({
    version: 1,
    currentId: ring.currentId,
    keys: ring.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key).toString('base64') })),
  })
  const plain = Buffer.from(json, 'utf8')
  const bytes = options.protection ? await options.protection.seal(plain) : plain
  const tmp = `${options.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = fs.openSync(tmp, 'wx', 0o600)
  try {
    fs.writeSync(fd, bytes)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  return tmp
}

async function readKeyFile(options: FileKeyProviderOptions): Promise<KeyRing> {
  const { file } = options
  if (process.platform !== 'win32') {
    const mode = fs.statSync(file).mode & 0o777
    if (mode & 0o077) {
      throw new AppError('forbidden', `Key file ${file} is accessible by other users (mode ${mode.toString(8)}); run chmod 600 on it`)
    }
  }
  const raw = fs.readFileSync(file)
  let text: string
  try {
    text = Buffer.from(options.protection ? await options.protection.open(raw) : raw).toString('utf8')
  } catch {
    throw new AppError('decryption_failed', `Key file ${file} could not be unsealed`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new AppError('validation_failed', `Key file ${file} is not valid JSON`)
  }
  const parsed = parseOrThrow(keyFileSchema, json, `key file ${file}`)
  return checkKeyRing(
    { currentId: parsed.currentId, keys: parsed.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') })) },
    `key file ${file}`,
  )
}
