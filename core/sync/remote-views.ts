import { AppError } from '../../common/errors.ts'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import type { SyncChangedEvent, SyncLink, syncContract } from '../../common/contracts/sync-contract.ts'
import type { Store, SyncLinkRow } from '../store/repos.ts'
import { payloadFromFunction, payloadHash } from './publish-payload.ts'
import { readRemote } from './publisher.ts'
import { remoteLogQuery } from './remote-log-query.ts'
import { curlFor } from './public-urls.ts'
import type { ServerConnections } from './server-connections.ts'

type Sync = ServiceImpl<typeof syncContract>

interface Deps {
  store: Store
  servers: ServerConnections
  emit: (event: SyncChangedEvent) => void
  now: () => number
}

/** The remote side of a linked function: versions, rollback, pull, log and metrics. */
export function createRemoteViews({ store, servers, emit, now }: Deps) {
  /** The link for this server, or the most recently synced one. */
  async function linkFor(functionId: string, serverId?: string): Promise<SyncLinkRow> {
    const fn = await store.functions.get(functionId)
    const link = serverId ? await store.sync.getLink(functionId, serverId) : ((await store.sync.listLinks(functionId))[0] ?? null)
    if (!link) throw new AppError('not_found', `Function ${fn.name} is not published${serverId ? ' to that server' : ''} yet`)
    return link
  }

  async function target(functionId: string, serverId?: string) {
    const link = await linkFor(functionId, serverId)
    return { link, client: await servers.clientFor(link.serverId) }
  }

  async function linkView(row: SyncLinkRow): Promise<SyncLink> {
    const server = await store.sync.getServer(row.serverId)
    // Offline-safe: the URLs the server reported at the last publish, else the one every server has.
    const urls = row.publicUrls?.length ? row.publicUrls : [`${server.url}/fn/${row.remoteFunctionId}`]
    return { ...row, serverName: server.name, serverUrl: server.url, publicUrls: urls, curl: curlFor(urls[0]!) }
  }

  const pull: Sync['pull'] = async ({ functionId, serverId }) => {
    const local = await store.functions.get(functionId)
    const link = serverId ? await store.sync.getLink(functionId, serverId) : ((await store.sync.listLinks(functionId))[0] ?? null)
    const server = serverId ?? link?.serverId
    if (!server) throw new AppError('not_found', `Function ${local.name} is not published yet; choose a server to pull from`)
    const client = await servers.clientFor(server)
    const remote = await readRemote(client, link?.remoteFunctionId ?? null, local.name)
    if (!remote) throw new AppError('not_found', `No function ${local.name} on ${client.url}`)
    // A regular local save: the previous local code stays in the version history.
    const saved = await store.functions.update(functionId, { code: remote.code, ...remote.config, note: `pulled from ${client.url} version ${remote.activeVersion ?? '?'}` })
    const hash = payloadHash(payloadFromFunction(saved.function, {}))
    await store.sync.setLink({ functionId, serverId: server, remoteFunctionId: remote.fn.id, remoteVersion: remote.activeVersion, syncedHash: hash, lastSyncedAt: now() })
    emit({ functionId, kind: 'link' })
    const linkRow = (await store.sync.getLink(functionId, server))!
    return {
      function: saved.function,
      versionCreated: saved.versionCreated,
      link: await linkView(linkRow),
      envVarsOnlyRemote: remote.fn.envVarNames.filter((n) => !saved.function.envVarNames.includes(n)),
    }
  }

  const versions: Sync['remoteVersions'] = async ({ functionId, serverId }) => {
    const { link, client } = await target(functionId, serverId)
    const list = await client.versions(link.remoteFunctionId)
    return { serverId: link.serverId, remoteFunctionId: link.remoteFunctionId, activeVersion: list.activeVersion, linkedVersion: link.remoteVersion, items: list.items }
  }

  const version: Sync['remoteVersion'] = async ({ functionId, serverId, version: n }) => {
    const { link, client } = await target(functionId, serverId)
    return client.version(link.remoteFunctionId, n)
  }

  const rollback: Sync['rollback'] = async ({ functionId, serverId, version: n }) => {
    const { link, client } = await target(functionId, serverId)
    const updated = await client.activate(link.remoteFunctionId, n)
    const activeVersion = updated.activeVersion ?? n
    // This side caused the change, so it is the new baseline, not an edit made elsewhere.
    const next = { ...link, remoteVersion: activeVersion, lastSyncedAt: now() }
    await store.sync.setLink(next)
    emit({ functionId, kind: 'link' })
    return { activeVersion, link: await linkView(next) }
  }

  const logs: Sync['remoteLogs'] = async ({ functionId, serverId, ...filters }) => {
    const { link, client } = await target(functionId, serverId)
    const page = await client.logs(link.remoteFunctionId, remoteLogQuery(filters))
    return { ...page, items: page.items.map((item) => ({ ...item, functionId })) }
  }

  const log: Sync['remoteLog'] = async ({ functionId, serverId, id }) => {
    const { link, client } = await target(functionId, serverId)
    return { ...(await client.log(link.remoteFunctionId, id)), functionId }
  }

  const metrics: Sync['remoteMetrics'] = async ({ functionId, serverId, from, to, bucketMs, version: v }) => {
    const { link, client } = await target(functionId, serverId)
    const report = await client.metrics(link.remoteFunctionId, { from, to, bucket: bucketMs, version: v })
    return { ...report, functionId }
  }

  return { pull, linkView, versions, version, rollback, logs, log, metrics }
}
