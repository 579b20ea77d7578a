import { AppError } from '../common/errors.ts'
import type { Store } from '../core/store/repos.ts'
import { createRemoteClient, type RemoteClient } from '../core/sync/remote-client.ts'
import { normalizeServerUrl } from '../core/sync/server-connections.ts'

export interface ServerFlags {
  server?: string | undefined
  token?: string | undefined
}

/** `--server`/`--token`, else EDGEPAD_SERVER/EDGEPAD_TOKEN; null when neither names a URL and token. */
export function explicitServer(flags: ServerFlags): { url: string; token: string } | null {
  const server = flags.server ?? process.env.EDGEPAD_SERVER
  const token = flags.token ?? process.env.EDGEPAD_TOKEN
  if (!server || !/^https?:\/\//i.test(server)) return null
  if (!token) throw new AppError('validation_failed', `A token is needed for ${server}: pass --token or set EDGEPAD_TOKEN`)
  return { url: normalizeServerUrl(server), token }
}

export function clientFor(target: { url: string; token: string }): RemoteClient {
  return createRemoteClient(target)
}

/**
 * A server configured in the IDE (Settings → Servers): the one named or whose URL is `--server`,
 * or the only one. With an explicit URL+token not configured yet, null (the caller adds it).
 */
export async function configuredServerId(store: Store, flags: ServerFlags): Promise<string | null> {
  const servers = await store.sync.listServers()
  const wanted = flags.server ?? process.env.EDGEPAD_SERVER
  if (wanted) {
    const url = /^https?:\/\//i.test(wanted) ? normalizeServerUrl(wanted) : null
    const found = servers.find((s) => s.name === wanted || s.url === url)
    if (found) return found.id
    if (url) return null
    throw new AppError('not_found', `No configured server named "${wanted}" (have: ${servers.map((s) => s.name).join(', ') || 'none'})`)
  }
  if (servers.length === 1) return servers[0]!.id
  if (servers.length === 0) throw new AppError('validation_failed', 'No server configured: pass --server <url> --token <token> (or set EDGEPAD_SERVER / EDGEPAD_TOKEN)')
  throw new AppError('validation_failed', `Several servers are configured (${servers.map((s) => s.name).join(', ')}); choose one with --server <name>`)
}
