import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTRACTS } from '../../common/contracts/all-contracts.ts'
import { toService, type Transport } from '../../common/contracts/rpc.ts'
import { openIde, type IdeCore } from '../ide/open-ide.ts'
import { payloadFromFunction, payloadHash } from './publish-payload.ts'
import { startSyncServer, type SyncTestServer } from './fixtures/sync-server.ts'

let server: SyncTestServer
let dir: string
let ide: IdeCore
const events: { event: string; payload: any }[] = []

beforeAll(async () => {
  server = await startSyncServer()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-sync-ide-'))
  ide = await openIde({ dataDir: dir, host: 'web', workers: 1, emit: (event, payload) => events.push({ event, payload }) })
}, 60_000)
afterAll(async () => {
  await ide?.close()
  await server?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

const transport: Transport = { call: (s, m, i) => ide.call(s, m, i), listen: () => () => {} }
const sync = () => toService(transport, CONTRACTS.sync)
const functions = () => toService(transport, CONTRACTS.functions)

const CODE_V1 = `export default { fetch(request, env) { return new Response('hello ' + env.GREETING + ' ' + env['OTHER']) } }`

describe('sync against a real server process', () => {
  let serverId = ''
  let fnId = ''
  let remoteId = ''

  it('adds a server only after the connection test passes; the token is stored sealed', async () => {
    await expect(sync().addServer({ url: server.url, token: 'ep_wrong_token_wrong_token_wrong' })).rejects.toMatchObject({ code: 'unauthorized' })
    await expect(sync().addServer({ url: 'http://127.0.0.1:1', token: 'x' })).rejects.toMatchObject({ code: 'unavailable' })
    await expect(sync().addServer({ url: 'ftp://example.com', token: 'x' })).rejects.toMatchObject({ code: 'validation_failed' })
    const { server: added, check } = await sync().addServer({ url: `${server.url}/`, token: server.adminToken, name: 'local test' })
    expect(check).toMatchObject({ ok: true, serverVersion: expect.any(String), user: { name: 'admin', role: 'admin' } })
    expect(added).toMatchObject({ name: 'local test', url: server.url, userName: 'admin' })
    serverId = added.id
    expect(await sync().listServers({})).toHaveLength(1)
    expect(fs.readFileSync(path.join(dir, 'edgepad.db')).includes(Buffer.from(server.adminToken))).toBe(false)
    expect(await sync().testServer({ serverId })).toMatchObject({ ok: true })
    expect(events.some((e) => e.event === 'syncChanged' && e.payload.kind === 'servers')).toBe(true)
  })

  it('previews a first publish: everything is new, referenced env vars missing remotely are named', async () => {
    const fn = await functions().create({ name: 'greeter', template: 'hello-world' })
    fnId = fn.id
    await functions().save({ id: fnId, code: CODE_V1 })
    await functions().setEnvVar({ id: fnId, name: 'GREETING', value: 'from-local' })
    const preview = await sync().previewPublish({ functionId: fnId, serverId })
    expect(preview.remote).toEqual({ exists: false, remoteFunctionId: null, activeVersion: null, linkedVersion: null })
    expect(preview.code.diff).toContain(`+${CODE_V1}`)
    expect(preview.referencedEnvVars).toEqual(['GREETING', 'OTHER'])
    expect(preview.envVarsMissingRemotely).toEqual(['GREETING', 'OTHER'])
    expect(preview.envVars.added).toEqual(['GREETING'])
    expect(preview.unchanged).toBe(false)
    expect(preview.conflict).toBeNull()
    const withSend = await sync().previewPublish({ functionId: fnId, serverId, sendEnvVars: ['GREETING'] })
    expect(withSend.envVarsMissingRemotely).toEqual(['OTHER'])
  })

  it('publishes, serves at the public URL, and a republish is a no-op', async () => {
    const result = await sync().publish({ functionId: fnId, serverId, sendEnvVars: ['GREETING'] })
    expect(result).toMatchObject({ status: 'published', remoteVersion: 1, versionCreated: true, envVarsMissingRemotely: ['OTHER'] })
    remoteId = result.remoteFunctionId!
    expect(result.publicUrls[0]).toBe(`${server.url}/fn/${remoteId}`)
    expect(result.curl).toBe(`curl -i '${server.url}/fn/${remoteId}'`)
    const res = await fetch(result.publicUrls[0]!)
    expect(await res.text()).toBe('hello from-local undefined')

    const again = await sync().publish({ functionId: fnId, serverId })
    expect(again).toMatchObject({ status: 'unchanged', remoteFunctionId: remoteId, remoteVersion: 1, versionCreated: false })
    expect((await sync().previewPublish({ functionId: fnId, serverId })).unchanged).toBe(true)
    const link = await sync().link({ functionId: fnId })
    expect(link.links).toMatchObject([{ serverId, remoteFunctionId: remoteId, remoteVersion: 1, serverUrl: server.url }])
    expect((await server.api('GET', `/api/edge-functions/${remoteId}/versions`)).body.items).toHaveLength(1)
  })

  it('remembers the routed URL of a subdomain on the link, so the Remote view shows it offline', async () => {
    const fn = await functions().create({ name: 'routed', template: 'hello-world' })
    await functions().updateSettings({ id: fn.id, settings: { subdomain: 'routed-one' } })
    const result = await sync().publish({ functionId: fn.id, serverId })
    expect(result.publicUrls).toEqual([`${server.url}/fn/${result.remoteFunctionId}`, 'http://routed-one.edge.test/'])
    const link = await sync().link({ functionId: fn.id })
    expect(link.links[0]!.publicUrls).toEqual(result.publicUrls)
    // A rollback rewrites the link without asking for URLs: the known ones stay.
    await sync().rollback({ functionId: fn.id, version: 1 })
    expect((await sync().link({ functionId: fn.id })).links[0]!.publicUrls).toEqual(result.publicUrls)
  })

  it('sends only the chosen env values; the remote keeps its own others', async () => {
    expect((await server.api('PATCH', `/api/edge-functions/${remoteId}`, { setEnvVars: { OTHER: 'remote-only' } })).status).toBe(200)
    await functions().setEnvVar({ id: fnId, name: 'GREETING', value: 'changed-locally' })
    await functions().setEnvVar({ id: fnId, name: 'OTHER', value: 'local-other' })
    const preview = await sync().previewPublish({ functionId: fnId, serverId })
    expect(preview.envVarsMissingRemotely).toEqual([])
    // Env values are not part of a version: sending one is a publish without a new version.
    const sent = await sync().publish({ functionId: fnId, serverId, sendEnvVars: ['GREETING'] })
    expect(sent).toMatchObject({ status: 'published', remoteVersion: 1, versionCreated: false })
    expect(await (await fetch(`${server.url}/fn/${remoteId}`)).text()).toBe('hello changed-locally remote-only')
    await expect(sync().publish({ functionId: fnId, serverId, sendEnvVars: ['NOPE'] })).rejects.toMatchObject({ code: 'validation_failed' })
  })

  it('detects a remote edit as a conflict; overwrite or pull resolve it without losing either side', async () => {
    const remoteEdit = `export default () => new Response('edited remotely')`
    expect((await server.api('PATCH', `/api/edge-functions/${remoteId}`, { code: remoteEdit })).body.activeVersion).toBe(2)
    await functions().save({ id: fnId, code: CODE_V1.replace('hello ', 'hi ') })

    const preview = await sync().previewPublish({ functionId: fnId, serverId })
    expect(preview.conflict).toMatchObject({ linkedVersion: 1, remoteVersion: 2, remote: { code: remoteEdit } })
    expect(preview.code.diff).toContain(`-${remoteEdit}`)
    const refused = await sync().publish({ functionId: fnId, serverId })
    expect(refused).toMatchObject({ status: 'conflict', conflict: { remoteVersion: 2, local: { code: expect.stringContaining("'hi '") } } })
    expect((await server.api('GET', `/api/edge-functions/${remoteId}`)).body.activeVersion).toBe(2)

    const overwritten = await sync().publish({ functionId: fnId, serverId, onConflict: 'overwrite' })
    expect(overwritten).toMatchObject({ status: 'published', remoteVersion: 3, versionCreated: true })

    // Edited elsewhere again; this time the remote wins locally.
    expect((await server.api('PATCH', `/api/edge-functions/${remoteId}`, { code: remoteEdit, timeout: 5000 })).body.activeVersion).toBe(4)
    const localBefore = (await functions().get({ id: fnId })).code
    const pulled = await sync().pull({ functionId: fnId })
    expect(pulled.function).toMatchObject({ code: remoteEdit, timeoutMs: 5000 })
    expect(pulled.versionCreated).toBe(true)
    expect(pulled.link).toMatchObject({ remoteVersion: 4 })
    const history = await ide.store.versions.list(fnId)
    const codes = await Promise.all(history.map((v) => ide.store.versions.get(fnId, v.number).then((r) => r.code)))
    expect(codes).toContain(localBefore)
    expect(await sync().publish({ functionId: fnId, serverId })).toMatchObject({ status: 'unchanged', remoteVersion: 4 })
  })

  it('lists remote versions and rolls back; the rollback is the new baseline, not a conflict', async () => {
    const versions = await sync().remoteVersions({ functionId: fnId })
    expect(versions.items.map((v) => v.number)).toEqual([4, 3, 2, 1])
    expect(versions).toMatchObject({ activeVersion: 4, linkedVersion: 4, remoteFunctionId: remoteId })
    expect((await sync().remoteVersion({ functionId: fnId, version: 1 })).code).toBe(CODE_V1)
    const rolled = await sync().rollback({ functionId: fnId, version: 1 })
    expect(rolled).toMatchObject({ activeVersion: 1, link: { remoteVersion: 1 } })
    expect(await (await fetch(`${server.url}/fn/${remoteId}`)).text()).toBe('hello changed-locally remote-only')
    const preview = await sync().previewPublish({ functionId: fnId, serverId })
    expect(preview.conflict).toBeNull()
    expect(preview.code.remote).toBe(CODE_V1)
    expect(preview.configChanges).toEqual([{ field: 'timeoutMs', local: 5000, remote: 10000 }])
    // Republishing what version 4 holds serves version 4 again instead of writing a copy.
    expect(await sync().publish({ functionId: fnId, serverId })).toMatchObject({ status: 'published', remoteVersion: 4, versionCreated: false })
  })

  it('shows the remote log and metrics in the local shapes', async () => {
    await fetch(`${server.url}/fn/${remoteId}/from-test?x=1`)
    let page = await sync().remoteLogs({ functionId: fnId, pathPrefix: '/from-test' })
    for (let i = 0; i < 50 && page.items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100))
      page = await sync().remoteLogs({ functionId: fnId, pathPrefix: '/from-test' })
    }
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).toMatchObject({ functionId: fnId, path: '/from-test', status: 200, outcome: 'ok', trigger: 'HTTP' })
    const record = await sync().remoteLog({ functionId: fnId, id: page.items[0]!.id })
    expect(record).toMatchObject({ functionId: fnId, request: { query: { x: '1' } } })
    expect((await sync().remoteLogs({ functionId: fnId, outcomes: ['timeout'] })).items).toEqual([])
    const metrics = await sync().remoteMetrics({ functionId: fnId, from: Date.now() - 3_600_000, to: Date.now() + 60_000 })
    expect(metrics.functionId).toBe(fnId)
    expect(metrics.count).toBeGreaterThanOrEqual(2)
    await expect(sync().remoteLogs({ functionId: 'no-such-fn' })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('queues a publish while the server is down, can cancel it, and delivers exactly once when it is back', async () => {
    await server.stop()
    await expect(sync().previewPublish({ functionId: fnId, serverId })).rejects.toMatchObject({ code: 'unavailable' })
    expect(await sync().testServer({ serverId })).toMatchObject({ ok: false, error: { code: 'unavailable' } })

    await functions().save({ id: fnId, code: `export default () => new Response('offline edit 1')` })
    const first = await sync().publish({ functionId: fnId, serverId })
    expect(first).toMatchObject({ status: 'queued', queueItem: { state: 'pending', functionName: 'greeter', serverName: 'local test' } })
    const cancelled = await sync().cancelQueued({ id: first.queueItem!.id })
    expect(cancelled.state).toBe('cancelled')
    await expect(sync().cancelQueued({ id: first.queueItem!.id })).rejects.toMatchObject({ code: 'conflict' })

    await functions().save({ id: fnId, code: `export default () => new Response('offline edit 2')` })
    const second = await sync().publish({ functionId: fnId, serverId })
    expect(second.status).toBe('queued')
    await functions().save({ id: fnId, code: `export default () => new Response('offline edit 3')` })
    const third = await sync().publish({ functionId: fnId, serverId })
    // The newer publish supersedes the older pending one: one delivery, the latest code.
    expect((await sync().listQueue({})).map((q) => q.id)).toEqual([third.queueItem!.id])
    expect((await sync().link({ functionId: fnId })).pending.map((q) => q.id)).toEqual([third.queueItem!.id])
    const stillDown = await sync().retryNow({ id: third.queueItem!.id })
    expect(stillDown[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('Cannot reach') })

    await server.start()
    const before = (await server.api('GET', `/api/edge-functions/${remoteId}/versions`)).body.items.length
    const delivered = await sync().retryNow({ id: third.queueItem!.id })
    expect(delivered[0]).toMatchObject({ state: 'delivered', remoteFunctionId: remoteId, remoteVersion: before + 1 })
    await sync().retryNow({})
    const after = (await server.api('GET', `/api/edge-functions/${remoteId}/versions`)).body.items.length
    expect(after).toBe(before + 1)
    expect(await (await fetch(`${server.url}/fn/${remoteId}`)).text()).toBe('offline edit 3')
    const all = await sync().listQueue({ includeFinished: true })
    expect(all.map((q) => q.state)).toEqual(['delivered', 'superseded', 'cancelled'])
    expect(await sync().publish({ functionId: fnId, serverId })).toMatchObject({ status: 'unchanged', remoteVersion: before + 1 })
  })

  it('a retried delivery whose first attempt reached the server (response lost) writes nothing new', async () => {
    await functions().save({ id: fnId, code: `export default () => new Response('lost response')` })
    const fn = await functions().get({ id: fnId })
    const payload = payloadFromFunction(fn, {})
    // The server received this publish, but the IDE never heard back: its link still has the old version.
    expect((await server.api('PATCH', `/api/edge-functions/${remoteId}`, { code: fn.code })).status).toBe(200)
    const versions = (await server.api('GET', `/api/edge-functions/${remoteId}/versions`)).body.items.length
    const row = await ide.store.sync.enqueue(
      { functionId: fnId, serverId, payloadHash: payloadHash(payload), sendEnvVars: [], onConflict: 'cancel', expectedRemoteVersion: versions - 1, nextAttemptAt: Date.now() },
      payload,
    )
    const [item] = await sync().retryNow({ id: row.id })
    expect(item).toMatchObject({ state: 'delivered', remoteVersion: versions })
    expect((await server.api('GET', `/api/edge-functions/${remoteId}/versions`)).body.items).toHaveLength(versions)
  })

  it('retries a queued publish on its own with backoff until the server is back', async () => {
    await server.stop()
    await functions().save({ id: fnId, code: `export default () => new Response('delivered by the scheduler')` })
    const queued = await sync().publish({ functionId: fnId, serverId })
    expect(queued.status).toBe('queued')
    await waitFor(async () => (await sync().listQueue({}))[0]?.attempts === 1)
    expect((await sync().listQueue({}))[0]).toMatchObject({ state: 'pending', nextAttemptAt: expect.any(Number) })
    await server.start()
    await waitFor(async () => (await sync().listQueue({ includeFinished: true }))[0]?.state === 'delivered', 20_000)
    expect(await (await fetch(`${server.url}/fn/${remoteId}`)).text()).toBe('delivered by the scheduler')
    expect(events.some((e) => e.event === 'syncChanged' && e.payload.kind === 'queue' && e.payload.functionId === fnId)).toBe(true)
  })

  it('removes a server with its links', async () => {
    await sync().removeServer({ serverId })
    expect(await sync().listServers({})).toEqual([])
    expect((await sync().link({ functionId: fnId })).links).toEqual([])
  })
})

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now()
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 100))
  }
}
