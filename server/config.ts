import { cpus } from 'node:os'
import path from 'node:path'
import { z } from 'zod'
import { hostnameSchema } from '../common/model/domain.ts'
import { parseOrThrow } from '../common/validation.ts'

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes')
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))

/** Every setting the server reads, from the environment, checked once at start. */
const envSchema = z.object({
  EDGEPAD_PORT: int(0, 65535).default(8787),
  EDGEPAD_HOST: z.string().min(1).default('127.0.0.1'),
  EDGEPAD_DATA: z.string().min(1).default('./data'),
  EDGEPAD_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').max(512).regex(/^[A-Za-z0-9._~+/=-]+$/, 'must be a URL-safe token').optional(),
  /** Env-var encryption key file; generated (0600) when missing. EDGEPAD_SECRET_KEYS overrides it. */
  EDGEPAD_KEY_FILE: z.string().min(1).optional(),
  EDGEPAD_WORKERS: int(1, 64).default(Math.max(1, Math.min(4, cpus().length))),
  EDGEPAD_LOG_RETENTION_DAYS: int(1, 3650).default(7),
  EDGEPAD_LOG_MAX_ROWS: int(100, 100_000_000).default(100_000),
  EDGEPAD_MAX_BODY_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  /** Slow clients: the whole request (headers and body) must arrive within this. */
  EDGEPAD_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  EDGEPAD_DNS_SERVERS: list.pipe(z.array(z.string().regex(/^[0-9a-fA-F.:[\]]+$/, 'must be IP[:port] addresses'))).optional(),
  EDGEPAD_BASE_DOMAIN: hostnameSchema.optional(),
  EDGEPAD_TRUST_PROXY: bool.default(false),
  EDGEPAD_UPSTREAM_URL: z.url().optional(),
  EDGEPAD_TRAEFIK_CERT_RESOLVER: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('letsencrypt'),
  EDGEPAD_TRAEFIK_ENTRYPOINTS: list.pipe(z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).min(1)).default(['websecure']),
  EDGEPAD_DURABILITY: z.enum(['full', 'normal']).default('full'),
  /** `off` keeps no invocation log at all: for measuring what logging costs, not for production. */
  EDGEPAD_INVOCATION_LOG: z.enum(['on', 'off']).default('on'),
  /**
   * MB of the workers' log journals not yet indexed (on disk, not in memory) past which the worker
   * fronts start no new invocation (they go on below a quarter of it): how long a burst the
   * low-priority indexer may fall behind before serving slows down to its pace.
   */
  EDGEPAD_LOG_BACKLOG_MB: int(1, 65_536).default(1024),
  /**
   * Seconds a burst's log backlog may wait for a whole core that serving leaves free before it is
   * indexed anyway (also once it reaches a quarter of EDGEPAD_LOG_BACKLOG_MB). 0: index at once,
   * at idle CPU priority only. Every invocation is on disk in the journals meanwhile.
   */
  EDGEPAD_LOG_INDEX_WAIT_S: int(0, 3600).default(30),
  /** Client connections go to the runtime workers, which answer function traffic next to the isolates (`false`: the host answers everything). */
  EDGEPAD_DIRECT_SERVING: bool.default(true),
  /** Lets functions' fetch reach loopback and private networks: only for a server on a trusted private network. */
  EDGEPAD_ALLOW_PRIVATE_NETWORKS: bool.default(false),
})

export interface ServerConfig {
  port: number
  host: string
  dataDir: string
  adminToken: string | null
  keyFile: string
  workers: number
  logRetentionMs: number
  logMaxRowsPerFunction: number
  maxBodyBytes: number
  requestTimeoutMs: number
  dnsServers: string[]
  baseDomain: string | null
  trustProxy: boolean
  upstreamUrl: string | null
  certResolver: string
  entryPoints: string[]
  durability: 'full' | 'normal'
  logInvocations: boolean
  allowPrivateNetworks: boolean
  directServing: boolean
  logBacklogBytes: number
  logIndexWaitMs: number
}

/** Throws `validation_failed` naming each bad variable; `main.ts` prints it and exits 2. */
export function loadConfig(env: Record<string, string | undefined>): ServerConfig {
  // Empty strings mean "unset", as in most .env files.
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('EDGEPAD_') && v !== undefined && v !== ''))
  const e = parseOrThrow(envSchema, present, 'configuration')
  const dataDir = path.resolve(e.EDGEPAD_DATA)
  return {
    port: e.EDGEPAD_PORT,
    host: e.EDGEPAD_HOST,
    dataDir,
    adminToken: e.EDGEPAD_ADMIN_TOKEN ?? null,
    keyFile: path.resolve(e.EDGEPAD_KEY_FILE ?? path.join(dataDir, 'secret-keys.json')),
    workers: e.EDGEPAD_WORKERS,
    logRetentionMs: e.EDGEPAD_LOG_RETENTION_DAYS * 86_400_000,
    logMaxRowsPerFunction: e.EDGEPAD_LOG_MAX_ROWS,
    maxBodyBytes: e.EDGEPAD_MAX_BODY_BYTES,
    requestTimeoutMs: e.EDGEPAD_REQUEST_TIMEOUT_MS,
    dnsServers: e.EDGEPAD_DNS_SERVERS ?? [],
    baseDomain: e.EDGEPAD_BASE_DOMAIN ?? null,
    trustProxy: e.EDGEPAD_TRUST_PROXY,
    upstreamUrl: e.EDGEPAD_UPSTREAM_URL ?? null,
    certResolver: e.EDGEPAD_TRAEFIK_CERT_RESOLVER,
    entryPoints: e.EDGEPAD_TRAEFIK_ENTRYPOINTS,
    durability: e.EDGEPAD_DURABILITY,
    logInvocations: e.EDGEPAD_INVOCATION_LOG === 'on',
    allowPrivateNetworks: e.EDGEPAD_ALLOW_PRIVATE_NETWORKS,
    directServing: e.EDGEPAD_DIRECT_SERVING,
    logBacklogBytes: e.EDGEPAD_LOG_BACKLOG_MB * 1024 * 1024,
    logIndexWaitMs: e.EDGEPAD_LOG_INDEX_WAIT_S * 1000,
  }
}
