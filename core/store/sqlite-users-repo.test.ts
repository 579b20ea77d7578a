import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'

let t: TempStore
beforeEach(async () => {
  t = await tempStore()
})
afterEach(() => t.cleanup())

const hash = (c: string) => c.repeat(64)

describe('users and tokens', () => {
  it('creates users with unique names and authenticates live tokens by hash only', async () => {
    const alice = await t.store.users.create({ name: 'alice' })
    expect(alice).toMatchObject({ name: 'alice', role: 'user' })
    await expect(t.store.users.create({ name: 'alice' })).rejects.toMatchObject({ code: 'conflict' })
    await expect(t.store.users.create({ name: 'Bad Name' })).rejects.toMatchObject({ code: 'validation_failed' })
    expect((await t.store.users.findByName('alice'))?.id).toBe(alice.id)
    const token = await t.store.tokens.create(alice.id, 'laptop', hash('a'))
    expect(await t.store.tokens.authenticate(hash('b'))).toBeNull()
    expect((await t.store.tokens.authenticate(hash('a')))?.user.id).toBe(alice.id)
    await expect(t.store.tokens.create(alice.id, 'dup', hash('a'))).rejects.toMatchObject({ code: 'conflict' })
    await expect(t.store.tokens.revoke('someone-else', token.id)).rejects.toMatchObject({ code: 'not_found' })
    expect((await t.store.tokens.revoke(alice.id, token.id)).revokedAt).not.toBeNull()
    expect(await t.store.tokens.authenticate(hash('a'))).toBeNull()
    expect(await t.store.tokens.list(alice.id)).toHaveLength(1)
  })

  it('keeps HTTP settings per function, defaulting when unset and deleted with the function', async () => {
    const { function: fn } = await t.store.functions.create({ owner: 'alice', name: 'f', code: 'export default () => "x"' })
    expect(await t.store.functionSettings.get(fn.id)).toEqual({ rateLimit: null, debugResponses: false })
    await t.store.functionSettings.set(fn.id, { rateLimit: { requests: 5, windowSeconds: 60, key: 'ip' }, debugResponses: true })
    expect(await t.store.functionSettings.get(fn.id)).toEqual({ rateLimit: { requests: 5, windowSeconds: 60, key: 'ip' }, debugResponses: true })
    await expect(t.store.functionSettings.set('missing', { rateLimit: null, debugResponses: false })).rejects.toMatchObject({ code: 'validation_failed' })
    await t.store.functions.delete(fn.id)
    expect(await t.store.functionSettings.get(fn.id)).toEqual({ rateLimit: null, debugResponses: false })
  })
})
