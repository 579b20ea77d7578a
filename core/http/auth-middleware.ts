import { createMiddleware } from 'hono/factory'
import { AppError } from '../../common/errors.ts'
import type { TokensRepo } from '../store/repos.ts'
import { hashToken } from './api-token.ts'
import type { AppEnv } from './app-env.ts'

const BEARER = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,512})\s*$/i

/** Every `/api/*` route: a live bearer token, resolved to its user. Revocation takes effect on the next request. */
export function bearerAuth(tokens: TokensRepo) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const match = BEARER.exec(c.req.header('authorization') ?? '')
    if (!match) throw new AppError('unauthorized', 'Send Authorization: Bearer <token>')
    const found = await tokens.authenticate(hashToken(match[1]!))
    if (!found) throw new AppError('unauthorized', 'The token is unknown or revoked')
    c.set('user', found.user)
    await next()
  })
}

export function requireAdmin(role: string): void {
  if (role !== 'admin') throw new AppError('forbidden', 'Only the admin token can do this')
}
