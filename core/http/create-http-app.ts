import type { IncomingMessage, ServerResponse } from 'node:http'
import { Hono } from 'hono'
import { AppError } from '../../common/errors.ts'
import type { Runtime } from '../runtime/runtime.ts'
import type { Store } from '../store/repos.ts'
import type { AppEnv } from './app-env.ts'
import { bearerAuth } from './auth-middleware.ts'
import type { DnsVerifier } from './dns-verifier.ts'
import { errorResponse } from './error-response.ts'
import type { HttpContext, HttpOptions } from './http-context.ts'
import { discardingLog } from './invoke-function.ts'
import { createNodeFunctionListener } from './node-function-listener.ts'
import { createRateLimiter } from './rate-limiter.ts'
import { domainsRoutes } from './routes/domains-routes.ts'
import { functionsRoutes } from './routes/functions-routes.ts'
import { invokeRoute } from './routes/invoke-route.ts'
import { observeRoutes } from './routes/observe-routes.ts'
import { functionTraffic } from './routes/serve-routes.ts'
import { serverInfoRoute } from './routes/server-info-route.ts'
import { tlsAskRoute } from './routes/tls-ask-route.ts'
import { traefikRoute } from './routes/traefik-route.ts'
import { usersRoutes } from './routes/users-routes.ts'
import { createCronScheduler, type CronScheduler } from './cron-scheduler.ts'
import { createRouting } from './routing.ts'
import { createServedFunctions } from './served-functions.ts'

export interface HttpAppDeps {
  store: Store
  runtime: Runtime
  dns: DnsVerifier
  options: HttpOptions
  now?: () => number
  /** Unexpected failures (5xx) and lost log rows; default console.error. */
  onError?: (error: unknown) => void
  /** Told of every cache invalidation an API write makes (one function, or the routing without an id): the worker fronts keep copies. */
  onInvalidate?: (functionId?: string) => void
}

export interface HttpApp {
  app: Hono
  /** The caches and serving dependencies the worker fronts' host answers from. */
  ctx: HttpContext
  /** Answers function traffic directly on node:http; false for anything else (hand it to `app`). */
  serveNode: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>
  cron: CronScheduler
  close(): void
}

/** The server's whole HTTP surface: custom domains, `/fn/:id`, the `/api` management API, `/healthz`. */
export function createHttpApp(deps: HttpAppDeps): HttpApp {
  const now = deps.now ?? Date.now
  const onError = deps.onError ?? ((error: unknown) => console.error('[http]', error))
  const { store } = deps
  const limiter = createRateLimiter(now)
  const ctx: HttpContext = {
    store,
    runtime: deps.runtime,
    dns: deps.dns,
    options: deps.options,
    limiter,
    now,
    served: createServedFunctions({ functions: store.functions, versions: store.versions, settings: store.functionSettings, ttlMs: deps.options.cacheTtlMs, now }),
    routing: createRouting({ users: store.users, functions: store.functions, domains: store.domains, baseDomain: deps.options.baseDomain, ttlMs: deps.options.cacheTtlMs, now }),
    serve: {
      runtime: deps.runtime,
      invocations: deps.options.logInvocations === false ? discardingLog : store.invocations,
      now,
      onLogError: onError,
      limiter,
      maxBodyBytes: deps.options.maxBodyBytes,
      trustProxy: deps.options.trustProxy,
    },
  }

  const api = new Hono<AppEnv>()
  api.use('*', bearerAuth(store.tokens))
  api.route('/server', serverInfoRoute(ctx))
  api.route('/users', usersRoutes(ctx))
  api.route('/edge-functions', functionsRoutes(ctx))
  api.route('/edge-functions', invokeRoute(ctx))
  api.route('/edge-functions', observeRoutes(ctx))
  api.route('/domains', domainsRoutes(ctx))
  api.route('/traefik', traefikRoute(ctx))

  const app = new Hono()
  app.onError((error, c) => errorResponse(c, error, onError))
  app.notFound((c) => errorResponse(c, new AppError('not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)))
  app.use('*', functionTraffic(ctx))
  app.get('/healthz', (c) => c.json({ ok: true }))
  app.route('/_edgepad/tls-ask', tlsAskRoute(ctx))
  app.route('/api', api)
  // Every function write invalidates routing; the same moment is when schedules may change.
  const cron = createCronScheduler({ users: store.users, functions: store.functions, served: ctx.served, invoke: ctx.serve, onError })
  const invalidateRouting = ctx.routing.invalidate
  ctx.routing.invalidate = () => {
    invalidateRouting()
    deps.onInvalidate?.()
    cron.sync()
  }
  const invalidateServed = ctx.served.invalidate
  ctx.served.invalidate = (id) => {
    invalidateServed(id)
    deps.onInvalidate?.(id)
  }
  cron.sync()
  return {
    app,
    ctx,
    serveNode: createNodeFunctionListener(ctx, onError),
    cron,
    close: () => {
      cron.close()
      limiter.close()
    },
  }
}
