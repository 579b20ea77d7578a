import { createHash } from 'node:crypto'
import type { VersionConfig } from '../../common/model/function.ts'

/**
 * sha-256 of code plus the config that changes runtime behaviour, in a fixed field order so the
 * hash never depends on object key order. Env vars are deliberately not part of it: they are
 * secrets stored once per function (sealed), not copied into every immutable version.
 */
export function contentHash(code: string, config: VersionConfig): string {
  return createHash('sha256')
    .update(JSON.stringify(['v1', code, config.runtime, config.handler, config.timeoutMs, config.memoryMb]))
    .digest('hex')
}
