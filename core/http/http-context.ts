import type { Runtime } from '../runtime/runtime.ts'
import type { Store } from '../store/repos.ts'
import type { DnsVerifier } from './dns-verifier.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { Routing } from './routing.ts'
import type { ServedFunctions } from './served-functions.ts'
import type { ServeDeps } from './serve-function.ts'
import type { TraefikOptions } from './traefik-config.ts'

export interface HttpOptions {
  /** Cap on request bodies sent to functions; larger ones answer 413. */
  maxBodyBytes: number
  /** Cap on management API bodies (function code is up to 5 MB). */
  maxApiBodyBytes: number
  trustProxy: boolean
  baseDomain: string | null
  traefik: TraefikOptions
  /** False only to measure what logging costs (bench:peers); nothing is logged then. Default true. */
  logInvocations?: boolean
  /** How long a served function or the host routing table may be reused before it is re-read. */
  cacheTtlMs: number
}

/** What the route modules share; built once by `createHttpApp`. */
export interface HttpContext {
  store: Store
  runtime: Runtime
  dns: DnsVerifier
  options: HttpOptions
  served: ServedFunctions
  routing: Routing
  serve: ServeDeps
  limiter: RateLimiter
  now: () => number
}
