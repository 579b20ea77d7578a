import { randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import { userCreateSchema, type ApiTokenRecord, type UserRecord } from '../../common/model/user.ts'
import { parseOrThrow } from '../../common/validation.ts'
import type { TokensRepo, UsersRepo } from './repos.ts'
import { translateSqliteError } from './sqlite-errors.ts'

interface UserRow {
  id: string
  name: string
  role: UserRecord['role']
  created_at: number
}

interface TokenRow {
  id: string
  user_id: string
  name: string
  token_hash: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

const toUser = (row: UserRow): UserRecord => ({ id: row.id, name: row.name, role: row.role, createdAt: row.created_at })
const toToken = (row: TokenRow): ApiTokenRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
})

export function createSqliteUsersRepo(db: Database.Database, now: () => number): UsersRepo {
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?')
  return {
    async create(input) {
      const { name, role } = parseOrThrow(userCreateSchema, input, 'user')
      const row: UserRow = { id: randomUUID(), name, role, created_at: now() }
      try {
        db.prepare('INSERT INTO users (id, name, role, created_at) VALUES (@id, @name, @role, @created_at)').run(row)
      } catch (error) {
        throw translateSqliteError(error, `User "${name}"`)
      }
      return toUser(row)
    },
    async get(id) {
      const row = byId.get(id)
      if (!row) throw new AppError('not_found', `User ${id} not found`)
      return toUser(row)
    },
    async findByName(name) {
      const row = db.prepare<[string], UserRow>('SELECT * FROM users WHERE name = ?').get(name)
      return row ? toUser(row) : null
    },
    async list() {
      return db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, name').all().map(toUser)
    },
  }
}

/** Last-use times are written at most once a minute per token, so authenticating stays a read. */
const LAST_USED_GRANULARITY_MS = 60_000

export function createSqliteTokensRepo(db: Database.Database, now: () => number): TokensRepo {
  const byHash = db.prepare<[string], TokenRow & { u_name: string; u_role: UserRecord['role']; u_created_at: number }>(
    `SELECT t.*, u.name AS u_name, u.role AS u_role, u.created_at AS u_created_at
     FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ? AND t.revoked_at IS NULL`,
  )
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?')
  return {
    async create(userId, name, tokenHash) {
      if (!/^[0-9a-f]{64}$/.test(tokenHash)) throw new AppError('validation_failed', 'tokenHash must be a hex SHA-256')
      const row: TokenRow = { id: randomUUID(), user_id: userId, name, token_hash: tokenHash, created_at: now(), last_used_at: null, revoked_at: null }
      try {
        db.prepare(
          'INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, last_used_at, revoked_at) VALUES (@id, @user_id, @name, @token_hash, @created_at, @last_used_at, @revoked_at)',
        ).run(row)
      } catch (error) {
        throw translateSqliteError(error, 'Token')
      }
      return toToken(row)
    },
    async authenticate(tokenHash) {
      const row = byHash.get(tokenHash)
      if (!row) return null
      const t = now()
      if (row.last_used_at === null || t - row.last_used_at >= LAST_USED_GRANULARITY_MS) {
        touch.run(t, row.id)
        row.last_used_at = t
      }
      return { token: toToken(row), user: { id: row.user_id, name: row.u_name, role: row.u_role, createdAt: row.u_created_at } }
    },
    async list(userId) {
      return db.prepare<[string], TokenRow>('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY created_at').all(userId).map(toToken)
    },
    async revoke(userId, tokenId) {
      const row = db.prepare<[string, string], TokenRow>('SELECT * FROM api_tokens WHERE id = ? AND user_id = ?').get(tokenId, userId)
      if (!row) throw new AppError('not_found', `Token ${tokenId} not found`)
      if (row.revoked_at === null) {
        row.revoked_at = now()
        db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE id = ?').run(row.revoked_at, tokenId)
      }
      return toToken(row)
    },
  }
}
