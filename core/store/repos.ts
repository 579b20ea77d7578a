import type { DomainCreateInput, DomainRecord } from '../../common/model/domain.ts'
import type { FunctionHttpSettings } from '../../common/model/http-settings.ts'
import type { ApiTokenRecord, UserCreateInput, UserRecord } from '../../common/model/user.ts'
import type {
  FunctionCreateInput,
  FunctionRecord,
  FunctionSummary,
  FunctionUpdateInput,
  SaveResult,
  VersionRecord,
  VersionSummary,
} from '../../common/model/function.ts'
import type { InvocationRecord, LogPage, LogQueryInput, NewInvocation } from '../../common/model/invocation-log.ts'
import type { MetricsQueryInput, MetricsReport } from '../../common/model/metrics.ts'
import type { SyncServer } from '../../common/contracts/sync-contract.ts'
import type { LogJournals } from './log-journal-indexer.ts'

/*
 * The store's whole surface. Everything is async so a PostgreSQL implementation (several server
 * instances, one database) can slot in behind the same interfaces; callers never see SQL.
 */

export interface FunctionsRepo {
  /** Creates the function and its version 1. `conflict` when the owner already has that name or the subdomain is taken. */
  create(input: FunctionCreateInput): Promise<SaveResult>
  /** Applies a patch; writes a new version (and makes it active) only when code or runtime config changed. */
  update(id: string, patch: FunctionUpdateInput): Promise<SaveResult>
  get(id: string): Promise<FunctionRecord>
  findByName(owner: string, name: string): Promise<FunctionRecord | null>
  findBySubdomain(subdomain: string): Promise<FunctionRecord | null>
  list(owner: string): Promise<FunctionSummary[]>
  /** Points the runtime at an existing version (rollback) without touching the working code. */
  activateVersion(id: string, version: number): Promise<FunctionRecord>
  /** Deletes the function, its versions, env vars, logged invocations and rollups. */
  delete(id: string): Promise<void>
  /** Names only; values never leave the store except through `revealEnvVars`. */
  listEnvVarNames(id: string): Promise<string[]>
  /** The one call that returns plaintext env values: for the runtime and an explicit "reveal" in the UI. */
  revealEnvVars(id: string): Promise<Record<string, string>>
  setEnvVar(id: string, name: string, value: string): Promise<void>
  deleteEnvVar(id: string, name: string): Promise<void>
  /** Re-seals every env value still sealed with an older key; returns how many were rewritten. */
  resealEnvVars(): Promise<number>
}

export interface VersionsRepo {
  list(functionId: string): Promise<VersionSummary[]>
  get(functionId: string, number: number): Promise<VersionRecord>
}

export interface RetentionResult {
  deletedByAge: number
  deletedByCount: number
}

export interface InvocationsRepo {
  /**
   * Queues the invocation and resolves with its id once the batch holding it has COMMITTED
   * (and, with durability 'full', been fsynced). Rejects only if the batch could not be written.
   */
  append(invocation: NewInvocation): Promise<string>
  /**
   * Fire-and-forget: queues and returns the id at once. Nothing is acknowledged: a crash before
   * the next flush loses it; write failures go to the store's `onError`.
   */
  enqueue(invocation: NewInvocation): string
  /** Resolves when everything queued before this call is committed. */
  flush(): Promise<void>
  /**
   * One page, newest first. With row filters a page examines a bounded number of rows (the scan
   * budget), so it may hold fewer than `limit` items, even none, while `nextCursor` is non-null:
   * keep paging until `nextCursor` is null. This keeps every page fast however rare the match.
   */
  query(query: LogQueryInput): Promise<LogPage>
  get(id: string): Promise<InvocationRecord>
  /** Runs one retention pass now (it also runs in the background when configured). */
  enforceRetention(): Promise<RetentionResult>
}

export interface MetricsRepo {
  get(query: MetricsQueryInput): Promise<MetricsReport>
}

export interface DomainsRepo {
  create(input: DomainCreateInput): Promise<DomainRecord>
  get(id: string): Promise<DomainRecord>
  findByHostname(hostname: string): Promise<DomainRecord | null>
  list(owner: string): Promise<DomainRecord[]>
  markVerified(id: string, at?: number): Promise<DomainRecord>
  delete(id: string): Promise<void>
}

export interface UsersRepo {
  create(input: UserCreateInput): Promise<UserRecord>
  get(id: string): Promise<UserRecord>
  findByName(name: string): Promise<UserRecord | null>
  list(): Promise<UserRecord[]>
}

export interface TokensRepo {
  /** Stores only `tokenHash` (hex SHA-256); the caller generated the token and shows it once. */
  create(userId: string, name: string, tokenHash: string): Promise<ApiTokenRecord>
  /** The live (not revoked) token with this hash and its user, or null. */
  authenticate(tokenHash: string): Promise<{ token: ApiTokenRecord; user: UserRecord } | null>
  list(userId: string): Promise<ApiTokenRecord[]>
  /** `not_found` unless the token belongs to `userId`; revoking twice is a no-op. */
  revoke(userId: string, tokenId: string): Promise<ApiTokenRecord>
}

/** Per-function serving settings (rate limit, debug responses); defaults when never set. */
export interface FunctionSettingsRepo {
  get(functionId: string): Promise<FunctionHttpSettings>
  set(functionId: string, settings: FunctionHttpSettings): Promise<void>
}

/** The row is what the IDE shows: the token stays sealed in the store. */
export type SyncServerRow = SyncServer

export interface SyncLinkRow {
  functionId: string
  serverId: string
  remoteFunctionId: string
  remoteVersion: number | null
  syncedHash: string
  lastSyncedAt: number
  /** Where it answers, as of the last publish; null when unknown (kept when a write leaves it out). */
  publicUrls?: string[] | null
}

export type SyncQueueState = 'pending' | 'delivering' | 'delivered' | 'failed' | 'conflict' | 'cancelled' | 'superseded'

export interface SyncQueueRow {
  id: string
  functionId: string
  serverId: string
  state: SyncQueueState
  payloadHash: string
  sendEnvVars: string[]
  onConflict: 'overwrite' | 'cancel'
  expectedRemoteVersion: number | null
  attempts: number
  nextAttemptAt: number | null
  lastError: string | null
  remoteFunctionId: string | null
  remoteVersion: number | null
  createdAt: number
  updatedAt: number
}

/** Sync's local half: servers (tokens sealed), links to remote functions, the durable publish queue. */
export interface SyncRepo {
  /** `conflict` when a server with that URL exists. */
  addServer(input: { name: string; url: string; token: string; serverVersion: string | null; userName: string | null }): Promise<SyncServerRow>
  listServers(): Promise<SyncServerRow[]>
  getServer(id: string): Promise<SyncServerRow>
  /** The one call that unseals a server token. */
  revealToken(id: string): Promise<string>
  recordCheck(id: string, check: { serverVersion: string; userName: string }): Promise<void>
  removeServer(id: string): Promise<void>
  getLink(functionId: string, serverId: string): Promise<SyncLinkRow | null>
  /** Most recently synced first. */
  listLinks(functionId: string): Promise<SyncLinkRow[]>
  setLink(link: SyncLinkRow): Promise<void>
  /**
   * Stores a pending item with its sealed payload; older pending items of the same function and
   * server become 'superseded' in the same transaction.
   */
  enqueue(item: Omit<SyncQueueRow, 'id' | 'state' | 'attempts' | 'lastError' | 'remoteFunctionId' | 'remoteVersion' | 'createdAt' | 'updatedAt'>, payload: unknown): Promise<SyncQueueRow>
  getQueued(id: string): Promise<SyncQueueRow>
  /** The sealed snapshot given to `enqueue`. */
  revealPayload(id: string): Promise<unknown>
  /** Newest first. */
  listQueue(filter: { functionId?: string; states?: readonly SyncQueueState[] }): Promise<SyncQueueRow[]>
  /**
   * Moves an item to `state` only when it is currently in one of `from` (compare-and-set, so a
   * cancel and a delivery cannot both win); returns the row after, or null when it was not in `from`.
   */
  transition(id: string, from: readonly SyncQueueState[], patch: Partial<Pick<SyncQueueRow, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'remoteFunctionId' | 'remoteVersion'>>): Promise<SyncQueueRow | null>
}

export interface Store {
  functions: FunctionsRepo
  versions: VersionsRepo
  invocations: InvocationsRepo
  metrics: MetricsRepo
  domains: DomainsRepo
  users: UsersRepo
  tokens: TokensRepo
  functionSettings: FunctionSettingsRepo
  sync: SyncRepo
  /** The runtime workers' log journals, when the store was opened with a journal folder (the server). */
  journals: LogJournals | null
  /** Stops background work, flushes the invocation queue (every queued row is committed), closes. */
  close(): Promise<void>
}
