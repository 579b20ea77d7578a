import { createHash, randomBytes } from 'node:crypto'

const PREFIX = 'ep_'

/** 32 random bytes: guessing is hopeless, so a fast unsalted hash is enough to store (and look up) tokens. */
export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}
