import { randomBytes, randomUUID } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppError } from '../../common/errors.ts'
import { domainCreateSchema, hostnameSchema, type DomainRecord } from '../../common/model/domain.ts'
import { parseOrThrow } from '../../common/validation.ts'
import type { DomainsRepo } from './repos.ts'
import { translateSqliteError } from './sqlite-errors.ts'

interface DomainRow {
  id: string
  owner: string
  hostname: string
  verification_token: string
  verified_at: number | null
  created_at: number
}

const toRecord = (row: DomainRow): DomainRecord => ({
  id: row.id,
  owner: row.owner,
  hostname: row.hostname,
  verificationToken: row.verification_token,
  verifiedAt: row.verified_at,
  createdAt: row.created_at,
})

export function createSqliteDomainsRepo(db: Database.Database, now: () => number): DomainsRepo {
  const byId = db.prepare<[string], DomainRow>('SELECT * FROM domains WHERE id = ?')
  const mustGet = (id: string) => {
    const row = byId.get(id)
    if (!row) throw new AppError('not_found', `Domain ${id} not found`)
    return row
  }
  return {
    async create(input) {
      const { owner, hostname } = parseOrThrow(domainCreateSchema, input, 'domain')
      const row: DomainRow = {
        id: randomUUID(),
        owner,
        hostname,
        verification_token: `edgepad-verify-${randomBytes(16).toString('hex')}`,
        verified_at: null,
        created_at: now(),
      }
      try {
        db.prepare('INSERT INTO domains VALUES (@id, @owner, @hostname, @verification_token, @verified_at, @created_at)').run(row)
      } catch (error) {
        throw translateSqliteError(error, `Domain ${hostname}`)
      }
      return toRecord(row)
    },
    async get(id) {
      return toRecord(mustGet(id))
    },
    async findByHostname(hostname) {
      const normalized = parseOrThrow(hostnameSchema, hostname, 'hostname')
      const row = db.prepare<[string], DomainRow>('SELECT * FROM domains WHERE hostname = ?').get(normalized)
      return row ? toRecord(row) : null
    },
    async list(owner) {
      return db.prepare<[string], DomainRow>('SELECT * FROM domains WHERE owner = ? ORDER BY hostname').all(owner).map(toRecord)
    },
    async markVerified(id, at = now()) {
      mustGet(id)
      db.prepare('UPDATE domains SET verified_at = ? WHERE id = ?').run(at, id)
      return toRecord(mustGet(id))
    },
    async delete(id) {
      const { changes } = db.prepare('DELETE FROM domains WHERE id = ?').run(id)
      if (changes === 0) throw new AppError('not_found', `Domain ${id} not found`)
    },
  }
}
