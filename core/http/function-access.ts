import { randomUUID } from 'node:crypto'
import { AppError } from '../../common/errors.ts'
import type { DomainRecord } from '../../common/model/domain.ts'
import type { FunctionRecord } from '../../common/model/function.ts'
import type { RuntimeLanguage } from '../../common/model/invocation.ts'
import type { UserRecord } from '../../common/model/user.ts'
import { CompileError } from './compile-error.ts'
import type { HttpContext } from './http-context.ts'
import { routeFor } from './routing.ts'
import { sourceFilename } from './served-functions.ts'

/** Another user's function answers exactly like a missing one. */
export async function ownedFunction(ctx: HttpContext, user: UserRecord, id: string): Promise<FunctionRecord> {
  const fn = await ctx.store.functions.get(id).catch(() => null)
  if (!fn || fn.owner !== user.id) throw new AppError('not_found', `Function ${id} not found`)
  return fn
}

export async function ownedDomain(ctx: HttpContext, user: UserRecord, id: string): Promise<DomainRecord> {
  const domain = await ctx.store.domains.get(id).catch(() => null)
  if (!domain || domain.owner !== user.id) throw new AppError('not_found', `Domain ${id} not found`)
  return domain
}

/** Refuses links to unverified or foreign domains and routes another function already holds. */
export async function checkLink(
  ctx: HttpContext,
  user: UserRecord,
  fn: { id: string; domainId: string | null; subdomain: string | null; path: string | null },
): Promise<void> {
  let domain: DomainRecord | null = null
  if (fn.domainId) {
    domain = await ownedDomain(ctx, user, fn.domainId).catch(() => {
      throw new AppError('validation_failed', `Domain ${fn.domainId} not found`, [{ path: 'domainId', message: 'no such domain' }])
    })
    if (domain.verifiedAt === null) {
      throw new AppError('validation_failed', `Domain ${domain.hostname} is not verified yet; verify it before linking functions`, [
        { path: 'domainId', message: 'domain is not verified' },
      ])
    }
  }
  const route = routeFor(fn, domain, ctx.options.baseDomain)
  if (!route) return
  const taken = (await ctx.routing.fresh()).table.conflict(route)
  if (taken) {
    throw new AppError('conflict', `${route.host}${route.path} is already routed to another function`, [
      { path: 'path', message: `route ${route.host}${route.path} is taken` },
    ])
  }
}

/**
 * Compiles and links the code in a worker without serving a request; a syntax error refuses the
 * save. Given the exact spec the function will be served with (env and filename included), a good
 * save also leaves that version warm, so the first request after a deploy is not a cold start.
 */
export async function checkCompiles(
  ctx: HttpContext,
  id: string | null,
  spec: { name: string; code: string; runtime: RuntimeLanguage; handler: string; timeoutMs: number; memoryMb: number; envVars: Record<string, string> },
): Promise<void> {
  const { name, ...rest } = spec
  const result = await ctx.runtime.check({ id: id ?? `check-${randomUUID()}`, filename: sourceFilename(name, spec.runtime), ...rest })
  if (result.outcome === 'compile_error') throw new CompileError(result.error)
}
