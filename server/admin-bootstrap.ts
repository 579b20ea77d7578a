import { generateToken, hashToken } from '../core/http/api-token.ts'
import type { Store } from '../core/store/repos.ts'

export const ADMIN_NAME = 'admin'

/**
 * Makes sure the admin user exists and can log in. With `EDGEPAD_ADMIN_TOKEN` set, that token is
 * registered (hashed) if it is not already; otherwise a token is generated on the very first
 * start only and returned so it can be printed once. It is never stored or printed again.
 */
export async function bootstrapAdmin(store: Store, configured: string | null): Promise<{ generatedToken: string | null }> {
  const admin = (await store.users.findByName(ADMIN_NAME)) ?? (await store.users.create({ name: ADMIN_NAME, role: 'admin' }))
  if (configured) {
    if (!(await store.tokens.authenticate(hashToken(configured)))) await store.tokens.create(admin.id, 'EDGEPAD_ADMIN_TOKEN', hashToken(configured))
    return { generatedToken: null }
  }
  if ((await store.tokens.list(admin.id)).length > 0) return { generatedToken: null }
  const token = generateToken()
  await store.tokens.create(admin.id, 'generated at first start', hashToken(token))
  return { generatedToken: token }
}
