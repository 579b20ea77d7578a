import { z } from 'zod'
import type { FunctionRecord, VersionRecord, VersionSummary } from '../model/function.ts'
import { logQuerySchema, type InvocationRecord, type LogPage } from '../model/invocation-log.ts'
import { metricsQuerySchema, type MetricsReport } from '../model/metrics.ts'
import type { UserRole } from '../model/user.ts'
import { defineContract, method } from './contract.ts'

/*
 * Publishing local functions to Edgepad servers and reading their remote log, metrics and versions.
 *
 * Errors (AppError codes, as everywhere): `unavailable` = the server could not be reached (refused,
 * DNS, timeout); `unauthorized` = the server refused the token; any other 4xx arrives with the
 * server's own code and message (`validation_failed`, `compile_error`, `conflict`, `not_found`...).
 * `functionId` is always the LOCAL function id; remote ids appear only in results.
 */

const fnId = z.string().min(1).max(200)
const serverId = z.string().min(1).max(200)
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'names are letters, digits and _, not starting with a digit').max(128)
/** Remote views default to the function's most recently synced server when `serverId` is absent. */
const remoteTarget = { functionId: fnId, serverId: serverId.optional() }

export const serverUrlSchema = z
  .string()
  .max(2000)
  .url('must be a URL like https://edgepad.example.com')
  .refine((url) => /^https?:\/\//i.test(url), 'must be an http:// or https:// URL')

/** A configured server. The token is stored encrypted and never returned. */
export interface SyncServer {
  id: string
  name: string
  /** Base URL without a trailing slash, e.g. `https://edgepad.example.com`. */
  url: string
  /** From the last successful connection test. */
  serverVersion: string | null
  userName: string | null
  createdAt: number
  lastCheckedAt: number | null
}

export interface ServerCheck {
  ok: boolean
  serverVersion: string | null
  user: { id: string; name: string; role: UserRole } | null
  /** Why `ok` is false: code `unavailable`, `unauthorized`, or the server's error code. */
  error: { code: string; message: string } | null
}

/** The remote half of a published function: where it lives and the version the link last saw. */
export interface SyncLink {
  functionId: string
  serverId: string
  serverName: string
  serverUrl: string
  remoteFunctionId: string
  /** Remote active version right after the last publish/pull/rollback from here. A different active version remotely means "edited elsewhere". */
  remoteVersion: number | null
  /** Hash of what was synced (code + published config + env var names). */
  syncedHash: string
  lastSyncedAt: number
  /**
   * Where the function answers: `<server>/fn/<id>`. (`link` works offline, so it lists only that
   * one; a publish result adds the subdomain/custom-domain URLs the server routes.)
   */
  publicUrls: string[]
  /** `curl -i '<first public URL>'`. */
  curl: string
}

export const QUEUE_STATES = ['pending', 'delivering', 'delivered', 'failed', 'conflict', 'cancelled', 'superseded'] as const
export type QueueState = (typeof QUEUE_STATES)[number]

/**
 * A publish made while its server was unreachable. `pending` items are retried with exponential
 * backoff (and on `retryNow`); a newer publish of the same function to the same server supersedes
 * an older pending one. Terminal states: delivered, failed (a 4xx, see lastError), conflict (the
 * remote changed meanwhile: open the publish dialog again), cancelled, superseded.
 */
export interface QueueItem {
  id: string
  functionId: string
  functionName: string
  serverId: string
  serverName: string
  state: QueueState
  attempts: number
  /** Epoch ms of the next automatic attempt; null unless pending. */
  nextAttemptAt: number | null
  lastError: string | null
  /** Env var names whose local values (snapshotted, stored encrypted) will be sent. */
  sendEnvVars: string[]
  /** When delivered: the remote function and version. */
  remoteFunctionId: string | null
  remoteVersion: number | null
  createdAt: number
  updatedAt: number
}

/** The fields a publish sends besides code and env vars, with the API's meaning. */
export const PUBLISHED_CONFIG_FIELDS = ['description', 'runtime', 'handler', 'timeoutMs', 'memoryMb', 'subdomain', 'path', 'triggerType', 'cronSchedule', 'secretHeaders'] as const
export type PublishedConfigField = (typeof PUBLISHED_CONFIG_FIELDS)[number]

export interface ConfigChange {
  field: PublishedConfigField
  /** What publishing will set. */
  local: unknown
  /** What the remote has now; null when the remote function does not exist yet. */
  remote: unknown
}

export interface RemoteSnapshot {
  code: string
  config: Record<PublishedConfigField, unknown>
  envVarNames: string[]
  version: number | null
}

/** The remote active version changed since the last sync from here (or an unlinked remote function of the same name differs). */
export interface SyncConflict {
  /** Version recorded at the last sync; null when this function was never synced to that remote function. */
  linkedVersion: number | null
  remoteVersion: number | null
  local: { code: string; config: Record<PublishedConfigField, unknown> }
  remote: RemoteSnapshot
}

export interface PublishPreview {
  functionId: string
  serverId: string
  remote: {
    /** False when publishing will create the function remotely. */
    exists: boolean
    remoteFunctionId: string | null
    activeVersion: number | null
    /** Version recorded at the last sync (null: never synced). */
    linkedVersion: number | null
  }
  code: {
    local: string
    /** Code of the remote ACTIVE version (after a rollback that is the older version); null when absent. */
    remote: string | null
    /** Unified diff remote → local (`--- remote` / `+++ local`), '' when equal. */
    diff: string
  }
  configChanges: ConfigChange[]
  envVars: {
    local: string[]
    remote: string[]
    /** Local names the remote lacks. */
    added: string[]
    /** Remote names not set locally (publishing never deletes them). */
    removed: string[]
  }
  /** Names the code reads (`env.X`, `env['X']`, `env.get('X')`) whether set anywhere or not. */
  referencedEnvVars: string[]
  /** Referenced names that are neither set remotely nor in the given `sendEnvVars`: the function would see them undefined. */
  envVarsMissingRemotely: string[]
  /** Code and config equal the remote active version: publishing (without sendEnvVars) is a no-op. */
  unchanged: boolean
  conflict: SyncConflict | null
}

export const PUBLISH_STATUSES = ['published', 'unchanged', 'queued', 'conflict'] as const
export type PublishStatus = (typeof PUBLISH_STATUSES)[number]

export interface PublishResult {
  status: PublishStatus
  remoteFunctionId: string | null
  /** Active remote version after publishing (null when queued/conflict with no remote). */
  remoteVersion: number | null
  /** True when this publish wrote a new immutable remote version. */
  versionCreated: boolean
  publicUrls: string[]
  curl: string | null
  /** Set when status is 'queued'. */
  queueItem: QueueItem | null
  /** Set when status is 'conflict': nothing was changed on either side. */
  conflict: SyncConflict | null
  envVarsMissingRemotely: string[]
}

export interface LinkStatus {
  functionId: string
  /** One per server this function was published to, most recently synced first. */
  links: SyncLink[]
  /** Queue items of this function that are not finished (pending/delivering), oldest first. */
  pending: QueueItem[]
}

export interface RemoteVersions {
  serverId: string
  remoteFunctionId: string
  activeVersion: number | null
  linkedVersion: number | null
  /** Newest first, as the server lists them. */
  items: VersionSummary[]
}

/** Change notification for the renderer: refresh queue/link/server views (payload of EVENTS.syncChanged). */
export interface SyncChangedEvent {
  /** The local function concerned; null for server-list changes. */
  functionId: string | null
  kind: 'servers' | 'link' | 'queue'
}

export const syncContract = defineContract('sync', {
  /** Configured servers, by name. */
  listServers: method(z.object({}).strict()).returns<SyncServer[]>(),
  /**
   * Tests the connection (GET /api/server + /api/users/me) and only then stores the server with its
   * token encrypted. Throws `unavailable`/`unauthorized`/... when the test fails (nothing stored);
   * `conflict` when a server with that URL is already configured. `name` defaults to the URL's host.
   */
  addServer: method(
    z.object({ url: serverUrlSchema, token: z.string().min(1).max(1000), name: z.string().min(1).max(100).optional() }).strict(),
  ).returns<{ server: SyncServer; check: ServerCheck }>(),
  /** Tests a configured server; never throws for connection problems (they are in `error`). Updates serverVersion/userName on success. */
  testServer: method(z.object({ serverId }).strict()).returns<ServerCheck>(),
  /** Forgets the server, its links and its queue items. Remote functions are untouched. */
  removeServer: method(z.object({ serverId }).strict()).returns<{ removed: true }>(),

  /**
   * What publishing would change, against the remote ACTIVE version. `sendEnvVars` only refines
   * `envVarsMissingRemotely`. Throws `unavailable` when the server cannot be reached (publish
   * still works then: it queues).
   */
  previewPublish: method(z.object({ functionId: fnId, serverId, sendEnvVars: z.array(envName).max(200).default([]) }).strict()).returns<PublishPreview>(),
  /**
   * Publishes the saved local function (code, PUBLISHED_CONFIG_FIELDS, and the local values of
   * `sendEnvVars` only; other remote env vars are kept). Creates the remote function (named like the
   * local one) on first publish, else patches it; the server stores an immutable version and
   * activates it. 'unchanged' when code/config equal the remote active version and no env vars are
   * sent. 'conflict' (nothing changed) when the remote active version is not the linked one, or not
   * `expectedRemoteVersion` when given, unless onConflict is 'overwrite'. 'queued' when the server
   * is unreachable and queueIfOffline (default true); otherwise `unavailable` is thrown.
   */
  publish: method(
    z
      .object({
        functionId: fnId,
        serverId,
        sendEnvVars: z.array(envName).max(200).default([]),
        onConflict: z.enum(['overwrite', 'cancel']).default('cancel'),
        /** The remote active version the user saw in the preview (null: "the remote did not exist"). */
        expectedRemoteVersion: z.number().int().min(1).nullable().optional(),
        queueIfOffline: z.boolean().default(true),
      })
      .strict(),
  ).returns<PublishResult>(),
  /**
   * Conflict resolution "pull remote into local": saves the remote active version's code and config
   * into the local function as a new local version (the previous local version stays in history)
   * and records the link at that remote version. Env var values are never pulled (servers don't
   * reveal them): `envVarsOnlyRemote` lists names to set locally by hand.
   */
  pull: method(z.object(remoteTarget).strict()).returns<{ function: FunctionRecord; versionCreated: boolean; link: SyncLink; envVarsOnlyRemote: string[] }>(),
  /** Links and unfinished queue items of one function. Local only: never contacts a server. */
  link: method(z.object({ functionId: fnId }).strict()).returns<LinkStatus>(),

  /** Queue items, newest first; only pending/delivering unless includeFinished. */
  listQueue: method(z.object({ functionId: fnId.optional(), includeFinished: z.boolean().default(false) }).strict()).returns<QueueItem[]>(),
  /** Cancels a pending item (`conflict` error when it is already being delivered or finished). */
  cancelQueued: method(z.object({ id: z.string().min(1).max(200) }).strict()).returns<QueueItem>(),
  /** Attempts every pending item (or just `id`) now, ignoring backoff; resolves with the items after the attempt. */
  retryNow: method(z.object({ id: z.string().min(1).max(200).optional() }).strict()).returns<QueueItem[]>(),

  /** The remote function's versions (needs a link). */
  remoteVersions: method(z.object(remoteTarget).strict()).returns<RemoteVersions>(),
  /** One remote version with its code (for viewing/diffing before a rollback). */
  remoteVersion: method(z.object({ ...remoteTarget, version: z.number().int().min(1) }).strict()).returns<VersionRecord>(),
  /** Activates an older (or newer) remote version and records it as the linked version, so the next publish is not a conflict. */
  rollback: method(z.object({ ...remoteTarget, version: z.number().int().min(1) }).strict()).returns<{ activeVersion: number; link: SyncLink }>(),
  /** Remote invocation log page: same filters and LogPage shape as `logs.query`; items carry the LOCAL functionId. */
  remoteLogs: method(logQuerySchema.safeExtend({ serverId: serverId.optional() })).returns<LogPage>(),
  /** One remote invocation, same shape as `logs.get`. */
  remoteLog: method(z.object({ ...remoteTarget, id: z.string().min(1).max(200) }).strict()).returns<InvocationRecord>(),
  /** Remote metrics: same query and MetricsReport shape as `metrics.get` (functionId in the report is the LOCAL id). */
  remoteMetrics: method(metricsQuerySchema.safeExtend({ serverId: serverId.optional() })).returns<MetricsReport>(),
})
