import { webcrypto } from 'node:crypto'
import type { SubtleKeyInfo, SubtleResult } from './guest/wire.ts'

type Key = webcrypto.CryptoKey
type Alg = Parameters<typeof webcrypto.subtle.digest>[0]
/** Node's CryptoKey class (a global in Node 24); instances only ever come from this module. */
const HostCryptoKey = (globalThis as unknown as { CryptoKey: abstract new () => Key }).CryptoKey

/** Limits on what one guest call may ask of the host's crypto (it runs on libuv's small thread pool). */
export const SUBTLE_LIMITS = {
  /** Keys one sandbox may hold; the oldest unused ones are dropped past this. */
  maxKeys: 2048,
  /** Bytes of all buffers in one call (data to sign, encrypt, digest...). */
  maxBytes: 10 * 1024 * 1024,
  /** Same cap as Cloudflare Workers: larger PBKDF2 counts would hold a pool thread for seconds. */
  maxPbkdf2Iterations: 100_000,
  maxRsaModulusBits: 4096,
  maxStringLength: 64 * 1024,
} as const

const METHODS = new Set(['encrypt', 'decrypt', 'sign', 'verify', 'digest', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey'])
const ERROR_NAMES = new Set(['TypeError', 'NotSupportedError', 'DataError', 'InvalidAccessError', 'OperationError', 'SyntaxError', 'InvalidStateError', 'QuotaExceededError'])

class SubtleFailure extends Error {
  constructor(name: string, message: string) {
    super(message)
    this.name = name
  }
}

/**
 * The host half of `crypto.subtle` for one sandbox: Node's WebCrypto does the work, keys stay in
 * this table and the guest holds handles. Every argument comes from guest code and is rebuilt
 * here from plain values (bytes, strings, numbers, key handles) within the limits above.
 */
export class SubtleHost {
  private readonly keys = new Map<number, Key>()
  private nextHandle = 1

  /** Never rejects: failures become `{ error }` with their WebCrypto name, as the guest rethrows them. */
  async call(method: unknown, rawArgs: unknown): Promise<SubtleResult> {
    try {
      if (typeof method !== 'string' || !METHODS.has(method)) throw new SubtleFailure('TypeError', `crypto.subtle has no method ${String(method)}`)
      if (!Array.isArray(rawArgs) || rawArgs.length > 8) throw new SubtleFailure('TypeError', 'crypto.subtle: invalid arguments')
      const budget = { bytes: 0 }
      const args = rawArgs.map((arg) => this.revive(arg, 0, budget))
      return { value: this.output(await this.dispatch(method, args)) }
    } catch (error) {
      const name = error instanceof Error && ERROR_NAMES.has(error.name) ? error.name : 'OperationError'
      return { error: { name, message: error instanceof Error ? error.message : String(error) } }
    }
  }

  private async dispatch(method: string, a: unknown[]): Promise<unknown> {
    const s = webcrypto.subtle
    const alg = a[0] as Alg
    switch (method) {
      case 'digest':
        return s.digest(alg, buffer(a[1]))
      case 'encrypt':
        return s.encrypt(alg as never, this.key(a[1]), buffer(a[2]))
      case 'decrypt':
        return s.decrypt(alg as never, this.key(a[1]), buffer(a[2]))
      case 'sign':
        return s.sign(alg as never, this.key(a[1]), buffer(a[2]))
      case 'verify':
        return s.verify(alg as never, this.key(a[1]), buffer(a[2]), buffer(a[3]))
      case 'generateKey':
        checkGenerate(alg)
        return s.generateKey(alg as never, Boolean(a[1]), usages(a[2]))
      case 'deriveBits':
        checkDerive(alg)
        return s.deriveBits(alg as never, this.key(a[1]), a[2] === null || a[2] === undefined ? null : Number(a[2]))
      case 'deriveKey':
        checkDerive(alg)
        return s.deriveKey(alg as never, this.key(a[1]), a[2] as never, Boolean(a[3]), usages(a[4]))
      case 'importKey': {
        const format = String(a[0])
        const data = format === 'jwk' ? a[1] : buffer(a[1])
        return s.importKey(format as never, data as never, a[2] as never, Boolean(a[3]), usages(a[4]))
      }
      case 'exportKey':
        return s.exportKey(String(a[0]) as never, this.key(a[1]))
      case 'wrapKey':
        return s.wrapKey(String(a[0]) as never, this.key(a[1]), this.key(a[2]), a[3] as never)
      case 'unwrapKey':
        return s.unwrapKey(String(a[0]) as never, buffer(a[1]), this.key(a[2]), a[3] as never, a[4] as never, Boolean(a[5]), usages(a[6]))
    }
    throw new SubtleFailure('NotSupportedError', `crypto.subtle.${method} is not supported`)
  }

  /** Plain guest values → host values: bytes stay bytes, `{ $key }` becomes the CryptoKey it names. */
  private revive(value: unknown, depth: number, budget: { bytes: number }): unknown {
    if (depth > 8) throw new SubtleFailure('TypeError', 'crypto.subtle: argument nests too deeply')
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return value
    if (typeof value === 'string') {
      if (value.length > SUBTLE_LIMITS.maxStringLength) throw new SubtleFailure('DataError', 'crypto.subtle: string argument too long')
      return value
    }
    if (value instanceof Uint8Array) {
      budget.bytes += value.byteLength
      if (budget.bytes > SUBTLE_LIMITS.maxBytes) throw new SubtleFailure('QuotaExceededError', `crypto.subtle: arguments larger than ${SUBTLE_LIMITS.maxBytes} bytes`)
      return value
    }
    if (Array.isArray(value)) {
      if (value.length > 64) throw new SubtleFailure('TypeError', 'crypto.subtle: array argument too long')
      return value.map((v) => this.revive(v, depth + 1, budget))
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value)
      if (entries.length === 1 && entries[0]![0] === '$key') return this.key(value)
      if (entries.length > 64) throw new SubtleFailure('TypeError', 'crypto.subtle: object argument too large')
      const out: Record<string, unknown> = {}
      for (const [k, v] of entries) {
        if (k === '__proto__') continue
        out[k] = this.revive(v, depth + 1, budget)
      }
      return out
    }
    throw new SubtleFailure('TypeError', 'crypto.subtle: unsupported argument')
  }

  private key(value: unknown): Key {
    // Host CryptoKeys only come out of revive(), which takes them from this table.
    if (value instanceof HostCryptoKey) return value
    const handle = value && typeof value === 'object' ? (value as { $key?: unknown }).$key : undefined
    const key = typeof handle === 'number' ? this.keys.get(handle) : undefined
    if (!key) throw new SubtleFailure('TypeError', 'Expected a CryptoKey')
    return key
  }

  /** Host results → plain values the guest rebuilds: bytes, key infos, JWK objects, booleans. */
  private output(result: unknown): NonNullable<Extract<SubtleResult, { value: unknown }>['value']> {
    if (result instanceof ArrayBuffer) return new Uint8Array(result)
    if (typeof result === 'boolean') return result
    if (result instanceof HostCryptoKey) return { $key: this.store(result) }
    if (result && typeof result === 'object' && 'privateKey' in result && 'publicKey' in result) {
      const pair = result as webcrypto.CryptoKeyPair
      return { $pair: [this.store(pair.publicKey), this.store(pair.privateKey)] }
    }
    return plain(result) as Record<string, unknown>
  }

  private store(key: Key): SubtleKeyInfo {
    const handle = this.nextHandle++
    this.keys.set(handle, key)
    if (this.keys.size > SUBTLE_LIMITS.maxKeys) this.keys.delete(this.keys.keys().next().value!)
    return { handle, type: key.type, extractable: key.extractable, algorithm: plain(key.algorithm) as Record<string, unknown>, usages: [...key.usages] }
  }
}

function buffer(value: unknown): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new SubtleFailure('TypeError', 'Expected an ArrayBuffer or ArrayBufferView')
  return value
}

function usages(value: unknown): webcrypto.KeyUsage[] {
  if (!Array.isArray(value)) throw new SubtleFailure('TypeError', 'keyUsages must be an array of strings')
  return value.map(String) as webcrypto.KeyUsage[]
}

const algName = (alg: unknown) => String(typeof alg === 'string' ? alg : (alg as { name?: unknown } | null)?.name ?? '').toUpperCase()

function checkDerive(alg: unknown): void {
  const iterations = Number((alg as { iterations?: unknown } | null)?.iterations)
  if (algName(alg) === 'PBKDF2' && iterations > SUBTLE_LIMITS.maxPbkdf2Iterations) {
    throw new SubtleFailure('NotSupportedError', `PBKDF2 iteration counts above ${SUBTLE_LIMITS.maxPbkdf2Iterations} are not supported (requested ${iterations})`)
  }
}

function checkGenerate(alg: unknown): void {
  const bits = Number((alg as { modulusLength?: unknown } | null)?.modulusLength)
  if (algName(alg).startsWith('RS') && bits > SUBTLE_LIMITS.maxRsaModulusBits) {
    throw new SubtleFailure('NotSupportedError', `RSA keys larger than ${SUBTLE_LIMITS.maxRsaModulusBits} bits are not supported`)
  }
}

/** A copy made of plain data only (what the isolate boundary accepts): JWKs and key algorithms. */
function plain(value: unknown, depth = 0): unknown {
  if (depth > 6) return null
  if (value instanceof Uint8Array) return new Uint8Array(value)
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const k in value) out[k] = plain((value as Record<string, unknown>)[k], depth + 1)
    return out
  }
  return value
}
