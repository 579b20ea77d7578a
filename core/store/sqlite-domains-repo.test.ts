import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'

let t: TempStore
beforeEach(async () => {
  t = await tempStore({ now: () => 1_700_000_000_000 })
})
afterEach(() => t.cleanup())

describe('domains', () => {
  it('creates with a verification token, normalises the hostname, verifies and deletes', async () => {
    const d = await t.store.domains.create({ owner: 'alice', hostname: 'API.Example.com' })
    expect(d).toMatchObject({ owner: 'alice', hostname: 'api.example.com', verifiedAt: null, createdAt: 1_700_000_000_000 })
    expect(d.verificationToken).toMatch(/^edgepad-verify-[0-9a-f]{32}$/)
    expect((await t.store.domains.findByHostname('api.EXAMPLE.com'))?.id).toBe(d.id)
    expect((await t.store.domains.markVerified(d.id, 123)).verifiedAt).toBe(123)
    expect((await t.store.domains.list('alice')).map((x) => x.hostname)).toEqual(['api.example.com'])
    await expect(t.store.domains.create({ owner: 'bob', hostname: 'api.example.com' })).rejects.toMatchObject({ code: 'conflict' })
    await expect(t.store.domains.create({ owner: 'bob', hostname: 'not a host' })).rejects.toMatchObject({ code: 'validation_failed' })
    await t.store.domains.delete(d.id)
    await expect(t.store.domains.get(d.id)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('links functions to domains and unlinks them when the domain is deleted', async () => {
    const d = await t.store.domains.create({ owner: 'alice', hostname: 'fn.example.org' })
    const { function: fn } = await t.store.functions.create({ owner: 'alice', name: 'f', code: 'x', domainId: d.id, path: '/hook' })
    expect(fn).toMatchObject({ domainId: d.id, path: '/hook' })
    await expect(t.store.functions.create({ owner: 'alice', name: 'g', code: 'x', domainId: 'missing' })).rejects.toMatchObject({ code: 'validation_failed' })
    await t.store.domains.delete(d.id)
    expect((await t.store.functions.get(fn.id)).domainId).toBeNull()
  })
})
