import { AppError, isAppError } from '../../common/errors.ts'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import type { PublishResult, QueueItem, SyncChangedEvent, SyncLink, syncContract } from '../../common/contracts/sync-contract.ts'
import type { Store, SyncLinkRow, SyncQueueRow } from '../store/repos.ts'
import { envReferences } from './env-references.ts'
import { createPublishQueue, type PublishQueue } from './publish-queue.ts'
import { configChanges, payloadFromFunction, payloadHash, type PublishPayload } from './publish-payload.ts'
import { findConflict, pushPayload, readRemote, sameContent } from './publisher.ts'
import { curlFor, publicUrls } from './public-urls.ts'
import { createRemoteViews } from './remote-views.ts'
import { createServerConnections } from './server-connections.ts'
import { unifiedDiff } from './unified-diff.ts'

export interface SyncServiceDeps {
  store: Store
  emit: (event: SyncChangedEvent) => void
  /** Per-request timeout for server calls (default 15 s). */
  timeoutMs?: number
  /** Offline queue backoff (default 2 s doubling to 5 min). */
  retryBaseMs?: number
  retryMaxMs?: number
  now?: () => number
}

export interface SyncCore {
  service: ServiceImpl<typeof syncContract>
  queue: PublishQueue
}

const SENT_ENV_VARS_MISSING = (names: string[]) => new AppError('validation_failed', `Env vars ${names.join(', ')} are not set locally, so their values cannot be sent`, names.map((n) => ({ path: 'sendEnvVars', message: `${n} is not set` })))

export function createSync(deps: SyncServiceDeps): SyncCore {
  const { store } = deps
  const now = deps.now ?? Date.now
  const servers = createServerConnections(store, deps.timeoutMs)
  const views = createRemoteViews({ store, servers, emit: deps.emit, now })

  async function buildPayload(functionId: string, sendEnvVars: string[]): Promise<PublishPayload> {
    const fn = await store.functions.get(functionId)
    const values = sendEnvVars.length ? await store.functions.revealEnvVars(functionId) : {}
    const missing = sendEnvVars.filter((n) => values[n] === undefined)
    if (missing.length) throw SENT_ENV_VARS_MISSING(missing)
    return payloadFromFunction(fn, Object.fromEntries(sendEnvVars.map((n) => [n, values[n]!])))
  }

  function missingRemotely(payload: PublishPayload, remoteNames: string[]): string[] {
    return envReferences(payload.code).filter((n) => !remoteNames.includes(n) && !(n in payload.envValues))
  }

  async function toItem(row: SyncQueueRow): Promise<QueueItem> {
    const fn = await store.functions.get(row.functionId).catch(() => null)
    const server = await store.sync.getServer(row.serverId).catch(() => null)
    const { payloadHash: _h, onConflict: _o, expectedRemoteVersion: _e, ...rest } = row
    return { ...rest, functionName: fn?.name ?? row.functionId, serverName: server?.name ?? row.serverId }
  }

  async function recordLink(functionId: string, serverId: string, remoteFunctionId: string, remoteVersion: number | null, hash: string, urls: string[] | null): Promise<void> {
    await store.sync.setLink({ functionId, serverId, remoteFunctionId, remoteVersion, syncedHash: hash, lastSyncedAt: now(), publicUrls: urls })
    deps.emit({ functionId, kind: 'link' })
  }

  const queue = createPublishQueue({
    store,
    ...(deps.retryBaseMs !== undefined ? { baseDelayMs: deps.retryBaseMs } : {}),
    ...(deps.retryMaxMs !== undefined ? { maxDelayMs: deps.retryMaxMs } : {}),
    now,
    onChange: (row) => deps.emit({ functionId: row.functionId, kind: 'queue' }),
    async deliver(item) {
      const payload = (await store.sync.revealPayload(item.id)) as PublishPayload
      const link = await store.sync.getLink(item.functionId, item.serverId)
      const client = await servers.clientFor(item.serverId)
      const outcome = await pushPayload(client, payload, {
        remoteFunctionId: link?.remoteFunctionId ?? null,
        baseline: item.expectedRemoteVersion,
        overwrite: item.onConflict === 'overwrite',
      })
      if (outcome.status !== 'conflict' && outcome.remote) {
        const urls = await publicUrls(client, outcome.remote).catch(() => null)
        await recordLink(item.functionId, item.serverId, outcome.remote.id, outcome.remoteVersion, item.payloadHash, urls)
      }
      return { status: outcome.status, remoteFunctionId: outcome.remote?.id ?? null, remoteVersion: outcome.remoteVersion }
    },
  })

  const service: ServiceImpl<typeof syncContract> = {
    listServers: () => store.sync.listServers(),
    async addServer(input) {
      const added = await servers.add(input)
      deps.emit({ functionId: null, kind: 'servers' })
      return added
    },
    async testServer({ serverId }) {
      const result = await servers.test(serverId)
      deps.emit({ functionId: null, kind: 'servers' })
      return result
    },
    async removeServer({ serverId }) {
      await store.sync.removeServer(serverId)
      deps.emit({ functionId: null, kind: 'servers' })
      return { removed: true }
    },

    async previewPublish({ functionId, serverId, sendEnvVars }) {
      const payload = await buildPayload(functionId, sendEnvVars)
      const link = await store.sync.getLink(functionId, serverId)
      const client = await servers.clientFor(serverId)
      const remote = await readRemote(client, link?.remoteFunctionId ?? null, payload.name)
      const remoteNames = remote?.fn.envVarNames ?? []
      return {
        functionId,
        serverId,
        remote: { exists: remote !== null, remoteFunctionId: remote?.fn.id ?? null, activeVersion: remote?.activeVersion ?? null, linkedVersion: link?.remoteVersion ?? null },
        code: { local: payload.code, remote: remote?.code ?? null, diff: unifiedDiff(remote?.code ?? '', payload.code) },
        configChanges: configChanges(payload.config, remote?.config ?? null),
        envVars: {
          local: payload.envVarNames,
          remote: remoteNames,
          added: payload.envVarNames.filter((n) => !remoteNames.includes(n)),
          removed: remoteNames.filter((n) => !payload.envVarNames.includes(n)),
        },
        referencedEnvVars: envReferences(payload.code),
        envVarsMissingRemotely: missingRemotely(payload, remoteNames),
        unchanged: sameContent(payload, remote),
        conflict: findConflict(payload, remote, link?.remoteVersion ?? null),
      }
    },

    async publish({ functionId, serverId, sendEnvVars, onConflict, expectedRemoteVersion, queueIfOffline }): Promise<PublishResult> {
      const payload = await buildPayload(functionId, sendEnvVars)
      const hash = payloadHash(payload)
      const link = await store.sync.getLink(functionId, serverId)
      const baseline = expectedRemoteVersion !== undefined ? expectedRemoteVersion : (link?.remoteVersion ?? null)
      const client = await servers.clientFor(serverId)
      try {
        const outcome = await pushPayload(client, payload, { remoteFunctionId: link?.remoteFunctionId ?? null, baseline, overwrite: onConflict === 'overwrite' })
        if (outcome.status === 'conflict' || !outcome.remote) {
          return { ...outcome, remoteFunctionId: outcome.remote?.id ?? null, publicUrls: [], curl: null, queueItem: null, envVarsMissingRemotely: [] }
        }
        // A newer publish makes any older queued one for the same target obsolete.
        for (const old of await store.sync.listQueue({ functionId, states: ['pending'] })) {
          if (old.serverId === serverId && (await store.sync.transition(old.id, ['pending'], { state: 'superseded', nextAttemptAt: null }))) deps.emit({ functionId, kind: 'queue' })
        }
        const urls = await publicUrls(client, outcome.remote)
        await recordLink(functionId, serverId, outcome.remote.id, outcome.remoteVersion, hash, urls)
        return {
          status: outcome.status,
          remoteFunctionId: outcome.remote.id,
          remoteVersion: outcome.remoteVersion,
          versionCreated: outcome.versionCreated,
          publicUrls: urls,
          curl: curlFor(urls[0]!),
          queueItem: null,
          conflict: null,
          envVarsMissingRemotely: missingRemotely(payload, [...outcome.remote.envVarNames]),
        }
      } catch (error) {
        if (!(isAppError(error) && error.code === 'unavailable' && queueIfOffline)) throw error
        const row = await store.sync.enqueue(
          { functionId, serverId, payloadHash: hash, sendEnvVars, onConflict, expectedRemoteVersion: baseline, nextAttemptAt: now() + (deps.retryBaseMs ?? 2000) },
          payload,
        )
        deps.emit({ functionId, kind: 'queue' })
        queue.poke()
        return {
          status: 'queued',
          remoteFunctionId: link?.remoteFunctionId ?? null,
          remoteVersion: null,
          versionCreated: false,
          publicUrls: [],
          curl: null,
          queueItem: await toItem(row),
          conflict: null,
          envVarsMissingRemotely: [],
        }
      }
    },

    pull: (input) => views.pull(input),

    async link({ functionId }) {
      await store.functions.get(functionId)
      const links: SyncLink[] = []
      for (const row of await store.sync.listLinks(functionId)) links.push(await views.linkView(row))
      const pending = await store.sync.listQueue({ functionId, states: ['pending', 'delivering'] })
      return { functionId, links, pending: await Promise.all(pending.reverse().map(toItem)) }
    },

    async listQueue({ functionId, includeFinished }) {
      const rows = await store.sync.listQueue({ ...(functionId ? { functionId } : {}), ...(includeFinished ? {} : { states: ['pending', 'delivering'] as const }) })
      return Promise.all(rows.map(toItem))
    },
    async cancelQueued({ id }) {
      const row = await store.sync.transition(id, ['pending'], { state: 'cancelled', nextAttemptAt: null })
      if (!row) {
        const current = await store.sync.getQueued(id)
        throw new AppError('conflict', `This publish is ${current.state} and can no longer be cancelled`)
      }
      deps.emit({ functionId: row.functionId, kind: 'queue' })
      return toItem(row)
    },
    async retryNow({ id }) {
      if (id) await store.sync.getQueued(id)
      await queue.retryNow(id)
      const rows = id ? [await store.sync.getQueued(id)] : await store.sync.listQueue({ states: ['pending', 'delivering'] })
      return Promise.all(rows.map(toItem))
    },

    remoteVersions: (input) => views.versions(input),
    remoteVersion: (input) => views.version(input),
    rollback: (input) => views.rollback(input),
    remoteLogs: (input) => views.logs(input),
    remoteLog: (input) => views.log(input),
    remoteMetrics: (input) => views.metrics(input),
  }
  return { service, queue }
}

export type { SyncLinkRow }
