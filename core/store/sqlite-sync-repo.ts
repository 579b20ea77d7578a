import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import type { SyncLinkRow, SyncQueueRow, SyncQueueState, SyncRepo, SyncServerRow } from './repos.ts'
import { translateSqliteError } from './sqlite-errors.ts'

interface ServerRow {
  id: string
  name: string
  url: string
  server_version: string | null
  user_name: string | null
  created_at: number
  last_checked_at: number | null
}

interface LinkRow {
  function_id: string
  server_id: string
  remote_function_id: string
  remote_version: number | null
  synced_hash: string
  last_synced_at: number
  public_urls: string | null
}

interface QueueRow {
  id: string
  function_id: string
  server_id: string
  state: SyncQueueState
  payload_hash: string
  send_env_vars: string
  on_conflict: 'overwrite' | 'cancel'
  expected_remote_version: number | null
  attempts: number
  next_attempt_at: number | null
  last_error: string | null
  remote_function_id: string | null
  remote_version: number | null
  created_at: number
  updated_at: number
}

const QUEUE_COLUMNS = `id, function_id, server_id, state, payload_hash, send_env_vars, on_conflict, expected_remote_version, attempts,
  next_attempt_at, last_error, remote_function_id, remote_version, created_at, updated_at`

const toServer = (r: ServerRow): SyncServerRow => ({
  id: r.id,
  name: r.name,
  url: r.url,
  serverVersion: r.server_version,
  userName: r.user_name,
  createdAt: r.created_at,
  lastCheckedAt: r.last_checked_at,
})

const toLink = (r: LinkRow): SyncLinkRow => ({
  functionId: r.function_id,
  serverId: r.server_id,
  remoteFunctionId: r.remote_function_id,
  remoteVersion: r.remote_version,
  syncedHash: r.synced_hash,
  lastSyncedAt: r.last_synced_at,
  publicUrls: r.public_urls === null ? null : (JSON.parse(r.public_urls) as string[]),
})

const toQueued = (r: QueueRow): SyncQueueRow => ({
  id: r.id,
  functionId: r.function_id,
  serverId: r.server_id,
  state: r.state,
  payloadHash: r.payload_hash,
  sendEnvVars: JSON.parse(r.send_env_vars) as string[],
  onConflict: r.on_conflict,
  expectedRemoteVersion: r.expected_remote_version,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  remoteFunctionId: r.remote_function_id,
  remoteVersion: r.remote_version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

// Bound into each ciphertext, so a sealed token or payload copied to another row does not open there.
const tokenContext = (id: string) => `sync-server:${id}`
const payloadContext = (id: string) => `sync-queue:${id}`

export function createSqliteSyncRepo(db: Database.Database, box: SecretBox, now: () => number): SyncRepo {
  const serverById = db.prepare<[string], ServerRow & { token_sealed: Uint8Array }>('SELECT * FROM sync_servers WHERE id = ?')
  const queuedById = db.prepare<[string], QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM sync_queue WHERE id = ?`)
  const mustServer = (id: string) => {
    const row = serverById.get(id)
    if (!row) throw new AppError('not_found', `Server ${id} not found`)
    return row
  }
  const mustQueued = (id: string) => {
    const row = queuedById.get(id)
    if (!row) throw new AppError('not_found', `Queued publish ${id} not found`)
    return row
  }

  const enqueueTx = db.transaction((row: QueueRow & { payload_sealed: Uint8Array }) => {
    db.prepare(
      `UPDATE sync_queue SET state = 'superseded', next_attempt_at = NULL, updated_at = ? WHERE function_id = ? AND server_id = ? AND state = 'pending'`,
    ).run(row.created_at, row.function_id, row.server_id)
    db.prepare(
      `INSERT INTO sync_queue (${QUEUE_COLUMNS}, payload_sealed) VALUES (@id, @function_id, @server_id, @state, @payload_hash, @send_env_vars,
        @on_conflict, @expected_remote_version, @attempts, @next_attempt_at, @last_error, @remote_function_id, @remote_version, @created_at, @updated_at, @payload_sealed)`,
    ).run(row)
  })

  return {
    async addServer(input) {
      const id = randomUUID()
      const at = now()
      try {
        db.prepare(
          'INSERT INTO sync_servers (id, name, url, token_sealed, server_version, user_name, created_at, last_checked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(id, input.name, input.url, box.encrypt(Buffer.from(input.token, 'utf8'), tokenContext(id)), input.serverVersion, input.userName, at, at)
      } catch (error) {
        throw translateSqliteError(error, `Server ${input.url}`)
      }
      return toServer(mustServer(id))
    },
    async listServers() {
      return db.prepare<[], ServerRow>('SELECT * FROM sync_servers ORDER BY name, created_at').all().map(toServer)
    },
    async getServer(id) {
      return toServer(mustServer(id))
    },
    async revealToken(id) {
      return Buffer.from(box.decrypt(mustServer(id).token_sealed, tokenContext(id))).toString('utf8')
    },
    async recordCheck(id, check) {
      db.prepare('UPDATE sync_servers SET server_version = ?, user_name = ?, last_checked_at = ? WHERE id = ?').run(check.serverVersion, check.userName, now(), id)
    },
    async removeServer(id) {
      mustServer(id)
      db.prepare('DELETE FROM sync_servers WHERE id = ?').run(id)
    },
    async getLink(functionId, serverId) {
      const row = db.prepare<[string, string], LinkRow>('SELECT * FROM sync_links WHERE function_id = ? AND server_id = ?').get(functionId, serverId)
      return row ? toLink(row) : null
    },
    async listLinks(functionId) {
      return db.prepare<[string], LinkRow>('SELECT * FROM sync_links WHERE function_id = ? ORDER BY last_synced_at DESC').all(functionId).map(toLink)
    },
    async setLink(link) {
      try {
        db.prepare(
          `INSERT INTO sync_links (function_id, server_id, remote_function_id, remote_version, synced_hash, last_synced_at, public_urls) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (function_id, server_id) DO UPDATE SET remote_function_id = excluded.remote_function_id, remote_version = excluded.remote_version,
             synced_hash = excluded.synced_hash, last_synced_at = excluded.last_synced_at, public_urls = coalesce(excluded.public_urls, public_urls)`,
        ).run(link.functionId, link.serverId, link.remoteFunctionId, link.remoteVersion, link.syncedHash, link.lastSyncedAt, link.publicUrls ? JSON.stringify(link.publicUrls) : null)
      } catch (error) {
        throw translateSqliteError(error, `Link of function ${link.functionId}`)
      }
    },
    async enqueue(item, payload) {
      const id = randomUUID()
      const at = now()
      const row: QueueRow & { payload_sealed: Uint8Array } = {
        id,
        function_id: item.functionId,
        server_id: item.serverId,
        state: 'pending',
        payload_hash: item.payloadHash,
        send_env_vars: JSON.stringify(item.sendEnvVars),
        on_conflict: item.onConflict,
        expected_remote_version: item.expectedRemoteVersion,
        attempts: 0,
        next_attempt_at: item.nextAttemptAt,
        last_error: null,
        remote_function_id: null,
        remote_version: null,
        created_at: at,
        updated_at: at,
        payload_sealed: box.encrypt(Buffer.from(JSON.stringify(payload), 'utf8'), payloadContext(id)),
      }
      try {
        enqueueTx(row)
      } catch (error) {
        throw translateSqliteError(error, `Queued publish of ${item.functionId}`)
      }
      return toQueued(mustQueued(id))
    },
    async getQueued(id) {
      return toQueued(mustQueued(id))
    },
    async revealPayload(id) {
      const row = db.prepare<[string], { payload_sealed: Uint8Array }>('SELECT payload_sealed FROM sync_queue WHERE id = ?').get(id)
      if (!row) throw new AppError('not_found', `Queued publish ${id} not found`)
      return JSON.parse(Buffer.from(box.decrypt(row.payload_sealed, payloadContext(id))).toString('utf8')) as unknown
    },
    async listQueue(filter) {
      const where: string[] = []
      const params: unknown[] = []
      if (filter.functionId) {
        where.push('function_id = ?')
        params.push(filter.functionId)
      }
      if (filter.states) {
        where.push(`state IN (${filter.states.map(() => '?').join(', ') || "''"})`)
        params.push(...filter.states)
      }
      const sql = `SELECT ${QUEUE_COLUMNS} FROM sync_queue ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC`
      return db.prepare<unknown[], QueueRow>(sql).all(...params).map(toQueued)
    },
    async transition(id, from, patch) {
      const sets: string[] = ['updated_at = @updated_at']
      const params: Record<string, unknown> = { id, updated_at: now() }
      const columns: Record<string, string> = {
        state: 'state',
        attempts: 'attempts',
        nextAttemptAt: 'next_attempt_at',
        lastError: 'last_error',
        remoteFunctionId: 'remote_function_id',
        remoteVersion: 'remote_version',
      }
      for (const [key, value] of Object.entries(patch)) {
        if (value === undefined) continue
        const column = columns[key]!
        sets.push(`${column} = @${column}`)
        params[column] = value
      }
      const fromList = from.map((_, i) => `@from${i}`).join(', ')
      from.forEach((state, i) => (params[`from${i}`] = state))
      const changed = db.prepare(`UPDATE sync_queue SET ${sets.join(', ')} WHERE id = @id AND state IN (${fromList})`).run(params).changes
      return changed === 1 ? toQueued(mustQueued(id)) : null
    },
  }
}
