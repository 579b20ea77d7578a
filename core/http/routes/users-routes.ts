import { Hono } from 'hono'
import { AppError } from '../../../common/errors.ts'
import { tokenCreateSchema, userCreateSchema, type UserRecord } from '../../../common/model/user.ts'
import { parseOrThrow } from '../../../common/validation.ts'
import { generateToken, hashToken } from '../api-token.ts'
import { idParam } from '../api-schemas.ts'
import type { AppEnv } from '../app-env.ts'
import { requireAdmin } from '../auth-middleware.ts'
import type { HttpContext } from '../http-context.ts'
import { readJson } from '../read-body.ts'

/** The admin manages users and their tokens; a user may see itself and manage its own tokens. */
export function usersRoutes(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  const { users, tokens } = ctx.store

  /** Admin: anyone. A user: only itself; anyone else is "not found", never "forbidden". */
  const visibleUser = async (me: UserRecord, id: string): Promise<UserRecord> => {
    const userId = parseOrThrow(idParam, id, 'id')
    if (me.role !== 'admin' && userId !== me.id) throw new AppError('not_found', `User ${userId} not found`)
    return users.get(userId)
  }

  app.get('/me', (c) => c.json(c.get('user')))

  app.get('/', async (c) => {
    requireAdmin(c.get('user').role)
    return c.json({ items: await users.list() })
  })

  app.post('/', async (c) => {
    requireAdmin(c.get('user').role)
    const input = parseOrThrow(userCreateSchema, await readJson(c.req.raw, ctx.options.maxApiBodyBytes), 'user')
    return c.json(await users.create(input), 201)
  })

  app.get('/:id', async (c) => c.json(await visibleUser(c.get('user'), c.req.param('id'))))

  app.get('/:id/tokens', async (c) => {
    const user = await visibleUser(c.get('user'), c.req.param('id'))
    return c.json({ items: await tokens.list(user.id) })
  })

  app.post('/:id/tokens', async (c) => {
    const user = await visibleUser(c.get('user'), c.req.param('id'))
    const input = parseOrThrow(tokenCreateSchema, await readJson(c.req.raw, ctx.options.maxApiBodyBytes), 'token')
    const token = generateToken()
    const record = await tokens.create(user.id, input.name, hashToken(token))
    // The only time the plaintext exists outside the caller: it is stored hashed.
    return c.json({ ...record, token }, 201)
  })

  app.delete('/:id/tokens/:tokenId', async (c) => {
    const user = await visibleUser(c.get('user'), c.req.param('id'))
    await tokens.revoke(user.id, parseOrThrow(idParam, c.req.param('tokenId'), 'tokenId'))
    return c.body(null, 204)
  })

  return app
}
