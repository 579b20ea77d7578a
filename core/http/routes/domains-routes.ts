import { Hono } from 'hono'
import { AppError } from '../../../common/errors.ts'
import { parseOrThrow } from '../../../common/validation.ts'
import { domainCreateBodySchema, idParam } from '../api-schemas.ts'
import type { AppEnv } from '../app-env.ts'
import { verificationRecordName } from '../dns-verifier.ts'
import { ownedDomain } from '../function-access.ts'
import type { HttpContext } from '../http-context.ts'
import { readJson } from '../read-body.ts'

/** What to publish so the owner can prove control of the hostname. */
const withInstructions = <T extends { hostname: string; verificationToken: string }>(d: T) => ({
  ...d,
  verification: { type: 'TXT', name: verificationRecordName(d.hostname), value: d.verificationToken },
})

export function domainsRoutes(ctx: HttpContext) {
  const app = new Hono<AppEnv>()
  const { domains, functions } = ctx.store

  app.get('/', async (c) => c.json({ items: (await domains.list(c.get('user').id)).map(withInstructions) }))

  app.post('/', async (c) => {
    const { hostname } = parseOrThrow(domainCreateBodySchema, await readJson(c.req.raw, ctx.options.maxApiBodyBytes), 'domain')
    if (ctx.options.baseDomain && (hostname === ctx.options.baseDomain || hostname.endsWith(`.${ctx.options.baseDomain}`))) {
      throw new AppError('conflict', `${hostname} is under this server's base domain`, [{ path: 'hostname', message: 'reserved' }])
    }
    return c.json(withInstructions(await domains.create({ owner: c.get('user').id, hostname })), 201)
  })

  app.get('/:id', async (c) => c.json(withInstructions(await ownedDomain(ctx, c.get('user'), parseOrThrow(idParam, c.req.param('id'), 'id')))))

  /** Looks up `_edgepad.<hostname>` TXT now; 409 with what was found when the token is not there. */
  app.post('/:id/verify', async (c) => {
    const domain = await ownedDomain(ctx, c.get('user'), parseOrThrow(idParam, c.req.param('id'), 'id'))
    const name = verificationRecordName(domain.hostname)
    let records: string[]
    try {
      records = await ctx.dns.txt(name)
    } catch (error) {
      throw new AppError('conflict', `DNS lookup of ${name} failed (${(error as { code?: string }).code ?? 'error'}); try again once the record is published`)
    }
    if (!records.includes(domain.verificationToken)) {
      throw new AppError('conflict', `TXT ${name} does not hold the verification token yet (found ${records.length} record(s))`, [
        { path: 'verification', message: `publish TXT ${name} = ${domain.verificationToken}` },
      ])
    }
    const verified = domain.verifiedAt === null ? await domains.markVerified(domain.id) : domain
    ctx.routing.invalidate()
    return c.json(withInstructions(verified))
  })

  app.delete('/:id', async (c) => {
    const user = c.get('user')
    const domain = await ownedDomain(ctx, user, parseOrThrow(idParam, c.req.param('id'), 'id'))
    const linked = (await functions.list(user.id)).filter((f) => f.domainId === domain.id)
    if (linked.length > 0) {
      throw new AppError('conflict', `Domain ${domain.hostname} still has ${linked.length} linked function(s); unlink them first`, [
        { path: 'id', message: `linked: ${linked.map((f) => f.name).join(', ')}` },
      ])
    }
    await domains.delete(domain.id)
    ctx.routing.invalidate()
    return c.body(null, 204)
  })

  return app
}
