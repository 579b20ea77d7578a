import { isAppError } from '../../common/errors.ts'
import type { ServerCheck, SyncServer } from '../../common/contracts/sync-contract.ts'
import type { Store } from '../store/repos.ts'
import { createRemoteClient, type RemoteClient } from './remote-client.ts'

export interface ServerConnections {
  clientFor(serverId: string): Promise<RemoteClient>
  /** Throws the connection's AppError (`unavailable`, `unauthorized`, ...). */
  check(client: RemoteClient): Promise<ServerCheck & { ok: true }>
  /** Never throws for connection problems: they come back in `error`. */
  test(serverId: string): Promise<ServerCheck>
  add(input: { url: string; token: string; name?: string | undefined }): Promise<{ server: SyncServer; check: ServerCheck }>
}

export function normalizeServerUrl(url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`
}

export function createServerConnections(store: Store, timeoutMs?: number): ServerConnections {
  const client = (url: string, token: string) => createRemoteClient({ url, token, ...(timeoutMs !== undefined ? { timeoutMs } : {}) })

  async function check(remote: RemoteClient): Promise<ServerCheck & { ok: true }> {
    const [info, me] = await Promise.all([remote.serverInfo(), remote.me()])
    return { ok: true, serverVersion: info.version, user: { id: me.id, name: me.name, role: me.role }, error: null }
  }

  return {
    async clientFor(serverId) {
      const server = await store.sync.getServer(serverId)
      return client(server.url, await store.sync.revealToken(serverId))
    },
    check,
    async test(serverId) {
      const server = await store.sync.getServer(serverId)
      try {
        const result = await check(client(server.url, await store.sync.revealToken(serverId)))
        await store.sync.recordCheck(serverId, { serverVersion: result.serverVersion ?? 'unknown', userName: result.user?.name ?? '' })
        return result
      } catch (error) {
        if (!isAppError(error)) throw error
        return { ok: false, serverVersion: null, user: null, error: { code: error.code, message: error.message } }
      }
    },
    async add({ url, token, name }) {
      const normalized = normalizeServerUrl(url)
      const result = await check(client(normalized, token))
      const server = await store.sync.addServer({
        name: name ?? new URL(normalized).host,
        url: normalized,
        token,
        serverVersion: result.serverVersion,
        userName: result.user?.name ?? null,
      })
      return { server, check: result }
    },
  }
}
