import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAesGcmBox } from '../secrets/aes-gcm-box.ts'
import { contentHash } from './content-hash.ts'
import { tempStore, type TempStore } from './fixtures/temp-store.ts'

let t: TempStore
beforeEach(async () => {
  t = await tempStore()
})
afterEach(() => t.cleanup())

const base = { owner: 'alice', name: 'hello', code: 'export default () => "hi"' }

describe('functions and versions', () => {
  it('creates a function with defaults and version 1', async () => {
    const { function: fn, version, versionCreated } = await t.store.functions.create(base)
    expect(versionCreated).toBe(true)
    expect(fn).toMatchObject({ owner: 'alice', name: 'hello', handler: 'default', runtime: 'JAVASCRIPT', timeoutMs: 10000, memoryMb: 128 })
    expect(fn).toMatchObject({ triggerType: 'HTTP', status: 'ACTIVE', activeVersion: 1, envVarNames: [], secretHeaders: [] })
    expect(version.number).toBe(1)
    expect(version.contentHash).toBe(contentHash(base.code, { runtime: 'JAVASCRIPT', handler: 'default', timeoutMs: 10000, memoryMb: 128 }))
    expect((await t.store.versions.get(fn.id, 1)).code).toBe(base.code)
  })

  it('creates no version when the content hash is unchanged, and one when code or config changes', async () => {
    const { function: fn } = await t.store.functions.create(base)
    const same = await t.store.functions.update(fn.id, { description: 'only metadata', code: base.code })
    expect(same.versionCreated).toBe(false)
    expect(same.function.activeVersion).toBe(1)
    expect(same.function.description).toBe('only metadata')

    const newCode = await t.store.functions.update(fn.id, { code: 'export default () => "v2"', note: 'second' })
    expect(newCode.versionCreated).toBe(true)
    expect(newCode.version).toMatchObject({ number: 2, note: 'second' })
    expect(newCode.function.activeVersion).toBe(2)

    const newConfig = await t.store.functions.update(fn.id, { timeoutMs: 5000 })
    expect(newConfig.versionCreated).toBe(true)
    expect(newConfig.version.config.timeoutMs).toBe(5000)

    expect((await t.store.versions.list(fn.id)).map((v) => v.number)).toEqual([3, 2, 1])
  })

  it('rolls back to an older version and serves the latest again when it is re-saved', async () => {
    const { function: fn } = await t.store.functions.create(base)
    await t.store.functions.update(fn.id, { code: 'export default () => "v2"' })
    expect((await t.store.functions.activateVersion(fn.id, 1)).activeVersion).toBe(1)
    const resaved = await t.store.functions.update(fn.id, { code: 'export default () => "v2"' })
    expect(resaved).toMatchObject({ versionCreated: false, function: { activeVersion: 2 } })
    await expect(t.store.functions.activateVersion(fn.id, 9)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('keeps a rollback in place when a patch changes only metadata', async () => {
    const { function: fn } = await t.store.functions.create({ ...base, name: 'rollback-kept' })
    await t.store.functions.update(fn.id, { code: 'export default () => "v2"' })
    await t.store.functions.activateVersion(fn.id, 1)
    const described = await t.store.functions.update(fn.id, { description: 'still on v1', envVars: { A: '1' } })
    expect(described).toMatchObject({ versionCreated: false, function: { activeVersion: 1 } })
  })

  it('keeps versions immutable at the database level', async () => {
    const { function: fn } = await t.store.functions.create(base)
    const db = new Database(t.file)
    expect(() => db.prepare("UPDATE function_versions SET code = 'evil' WHERE function_id = ?").run(fn.id)).toThrow(/immutable/)
    db.close()
  })

  it('validates input at the boundary and maps uniqueness to conflict', async () => {
    await expect(t.store.functions.create({ ...base, name: 'Not A Slug' })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(t.store.functions.create({ ...base, timeoutMs: 50 })).rejects.toMatchObject({ code: 'validation_failed' })
    await expect(t.store.functions.create({ ...base, triggerType: 'CRON' })).rejects.toMatchObject({ code: 'validation_failed' })
    await t.store.functions.create({ ...base, subdomain: 'taken' })
    await expect(t.store.functions.create(base)).rejects.toMatchObject({ code: 'conflict' })
    await expect(t.store.functions.create({ ...base, name: 'other', subdomain: 'taken' })).rejects.toMatchObject({ code: 'conflict' })
    await expect(t.store.functions.create({ ...base, owner: 'bob' })).resolves.toBeTruthy()
    await expect(t.store.functions.get('nope')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('finds by name and subdomain, lists by owner without code, deletes everything of a function', async () => {
    const { function: fn } = await t.store.functions.create({ ...base, subdomain: 'hello' })
    await t.store.functions.create({ ...base, name: 'second' })
    expect((await t.store.functions.findByName('alice', 'hello'))?.id).toBe(fn.id)
    expect((await t.store.functions.findBySubdomain('hello'))?.id).toBe(fn.id)
    const list = await t.store.functions.list('alice')
    expect(list.map((f) => f.name)).toEqual(['hello', 'second'])
    expect(list[0]).not.toHaveProperty('code')
    await t.store.functions.delete(fn.id)
    expect(await t.store.functions.findByName('alice', 'hello')).toBeNull()
    await expect(t.store.versions.list(fn.id)).resolves.toEqual([])
  })
})

describe('env vars', () => {
  it('stores values sealed, lists names only, reveals on the explicit call', async () => {
    const secret = `sk_live_${randomBytes(12).toString('hex')}`
    const { function: fn } = await t.store.functions.create({ ...base, envVars: { API_KEY: secret, REGION: 'eu-west-1' } })
    expect(fn.envVarNames).toEqual(['API_KEY', 'REGION'])
    expect(JSON.stringify(fn)).not.toContain(secret)
    expect(JSON.stringify(await t.store.functions.list('alice'))).not.toContain(secret)
    expect(await t.store.functions.listEnvVarNames(fn.id)).toEqual(['API_KEY', 'REGION'])
    expect(await t.store.functions.revealEnvVars(fn.id)).toEqual({ API_KEY: secret, REGION: 'eu-west-1' })

    await t.store.functions.setEnvVar(fn.id, 'EXTRA', 'value-3')
    await t.store.functions.deleteEnvVar(fn.id, 'REGION')
    expect(await t.store.functions.revealEnvVars(fn.id)).toEqual({ API_KEY: secret, EXTRA: 'value-3' })
    await expect(t.store.functions.setEnvVar(fn.id, '1BAD', 'x')).rejects.toMatchObject({ code: 'validation_failed' })

    // Neither the database nor its WAL holds the value in plaintext.
    await t.store.close()
    for (const f of fs.readdirSync(t.dir)) expect(fs.readFileSync(`${t.dir}/${f}`).includes(Buffer.from(secret))).toBe(false)
  })

  it('replaces the whole set on update and does not version env changes', async () => {
    const { function: fn } = await t.store.functions.create({ ...base, envVars: { A: 'one1' } })
    const result = await t.store.functions.update(fn.id, { envVars: { B: 'two2' } })
    expect(result.versionCreated).toBe(false)
    expect(await t.store.functions.revealEnvVars(fn.id)).toEqual({ B: 'two2' })
  })

  it('fails with decryption_failed under the wrong key, and reseals after rotation', async () => {
    const { function: fn } = await t.store.functions.create({ ...base, envVars: { TOKEN: 'abcdef' } })
    await t.store.close()
    const wrong = createAesGcmBox({ currentId: 'test', keys: [{ id: 'test', key: randomBytes(32) }] })
    const withWrong = await t.open({ secretBox: wrong })
    await expect(withWrong.functions.revealEnvVars(fn.id)).rejects.toMatchObject({ code: 'decryption_failed' })
    await withWrong.close()

  })

  it('keeps old values readable after key rotation and reseals them with the current key', async () => {
    const k1 = { id: 'k1', key: randomBytes(32) }
    const k2 = { id: 'k2', key: randomBytes(32) }
    const r = await tempStore({ secretBox: createAesGcmBox({ currentId: 'k1', keys: [k1] }) })
    try {
      const { function: fn } = await r.store.functions.create({ ...base, envVars: { TOKEN: 'abcdef', OTHER: 'ghijkl' } })
      await r.store.close()
      const rotated = await r.open({ secretBox: createAesGcmBox({ currentId: 'k2', keys: [k1, k2] }) })
      expect(await rotated.functions.revealEnvVars(fn.id)).toEqual({ TOKEN: 'abcdef', OTHER: 'ghijkl' })
      expect(await rotated.functions.resealEnvVars()).toBe(2)
      expect(await rotated.functions.resealEnvVars()).toBe(0)
      await rotated.close()
      const onlyNew = await r.open({ secretBox: createAesGcmBox({ currentId: 'k2', keys: [k2] }) })
      expect(await onlyNew.functions.revealEnvVars(fn.id)).toEqual({ TOKEN: 'abcdef', OTHER: 'ghijkl' })
    } finally {
      await r.cleanup()
    }
  })
})
