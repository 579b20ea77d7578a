import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'

let t: TestServer
beforeAll(async () => {
  t = await startTestServer()
})
afterAll(() => t?.close())

async function cronRuns(id: string): Promise<{ id: string; trigger: string; method: string; path: string; outcome: string }[]> {
  const res = await t.api('GET', `/api/edge-functions/${id}/logs`)
  expect(res.status, res.text).toBe(200)
  return res.body.items.filter((item: { trigger: string }) => item.trigger === 'CRON')
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('CRON functions', () => {
  it('run on their schedule, logged with trigger CRON, and stop when the trigger changes', async () => {
    const created = await t.api('POST', '/api/edge-functions', {
      body: { name: 'ticker', code: `export default (req) => { console.log('tick', req.headers['x-edgepad-trigger']); return 'ok' }`, triggerType: 'CRON', cronSchedule: '* * * * * *' },
    })
    expect(created.status, created.text).toBe(201)
    const id = created.body.id as string
    await until(async () => (await cronRuns(id)).length >= 2, 'two scheduled runs')
    const [run] = await cronRuns(id)
    expect(run).toMatchObject({ method: 'GET', path: '/', outcome: 'ok' })
    const detail = await t.api('GET', `/api/edge-functions/${id}/logs/${run!.id}`)
    expect(detail.body.console[0].message).toBe('tick cron')

    const patched = await t.api('PATCH', `/api/edge-functions/${id}`, { body: { triggerType: 'HTTP' } })
    expect(patched.status, patched.text).toBe(200)
    await until(async () => !t.server.http.cron.scheduled().includes(id), 'the schedule to stop')
  })

  it('a disabled CRON function does not run', async () => {
    const created = await t.api('POST', '/api/edge-functions', { body: { name: 'sleeper', code: `export default () => 'ok'`, triggerType: 'CRON', cronSchedule: '* * * * * *' } })
    const id = created.body.id as string
    await until(async () => t.server.http.cron.scheduled().includes(id), 'the schedule to start')
    expect((await t.api('PATCH', `/api/edge-functions/${id}`, { body: { status: 'DISABLED' } })).status).toBe(200)
    await until(async () => !t.server.http.cron.scheduled().includes(id), 'the schedule to stop')
  })
})
