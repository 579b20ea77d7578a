import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTRACTS } from '../../common/contracts/all-contracts.ts'
import { toService, type Transport } from '../../common/contracts/rpc.ts'
import { openIde, type IdeCore } from './open-ide.ts'

let dir: string
let ide: IdeCore
const events: unknown[] = []

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edgepad-ide-'))
  ide = await openIde({ dataDir: dir, host: 'web', workers: 1, emit: (event, payload) => events.push({ event, payload }) })
})
afterAll(async () => {
  await ide.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const transport: Transport = { call: (s, m, i) => ide.call(s, m, i), listen: () => () => {} }
const functions = () => toService(transport, CONTRACTS.functions)

describe('IDE services over the real runtime and store', () => {
  it('creates from a template, runs a draft and logs the run', async () => {
    const fn = await functions().create({ name: 'hello', template: 'hello-world' })
    expect(fn.code).toContain('Hello')
    const run = await toService(transport, CONTRACTS.invoke).run({
      functionId: fn.id,
      code: fn.code.replace('Hello', 'Howdy'),
      request: { path: '/x', query: [{ name: 'name', value: 'ada' }] },
    })
    expect(run).toMatchObject({ outcome: 'ok', status: 200, version: 0, body: { text: 'Howdy, ada!' } })
    expect(run.console.map((l) => l.message)).toEqual(['greeting ada'])
    const page = await toService(transport, CONTRACTS.logs).query({ functionId: fn.id })
    expect(page.items.map((i) => i.id)).toEqual([run.invocationId])
    expect(events).toContainEqual({ event: 'invocationLogged', payload: { functionId: fn.id, invocationId: run.invocationId } })
  })

  it('saves code that does not compile, reporting the line', async () => {
    const fn = await functions().create({ name: 'broken', template: 'hello-world' })
    const saved = await functions().save({ id: fn.id, code: 'export default () => {\n  return (\n}' })
    expect(saved.function.code).toContain('return (')
    expect(saved.diagnostic).toMatchObject({ line: 3 })
  })

  it('passes env vars to the function and never lists their values', async () => {
    const fn = await functions().create({ name: 'webhook', template: 'webhook-receiver' })
    await functions().setEnvVar({ id: fn.id, name: 'WEBHOOK_SECRET', value: 's3cret' })
    expect(await functions().envVarNames({ id: fn.id })).toEqual(['WEBHOOK_SECRET'])
    const tests = toService(transport, CONTRACTS.tests)
    const saved = await tests.save({
      functionId: fn.id,
      testCase: {
        name: 'accepts the secret',
        request: { method: 'POST', path: '/', headers: [{ name: 'x-webhook-secret', value: 's3cret' }], bodyType: 'json', body: '{"type":"push"}' },
        assertions: [
          { kind: 'status_equals', value: 202 },
          { kind: 'json_path_equals', path: 'received', value: '"push"' },
          { kind: 'duration_max', ms: 5000 },
        ],
      },
    })
    const outcome = await tests.run({ functionId: fn.id, caseId: saved.id })
    expect(outcome.assertions.map((a) => [a.passed, a.actual])).toMatchObject([[true, '202'], [true, '"push"'], [true, expect.any(String)]])
    expect(outcome.passed).toBe(true)
    const copy = await functions().duplicate({ id: fn.id, name: 'webhook-copy' })
    expect(await tests.list({ functionId: copy.id })).toHaveLength(1)
    await functions().delete({ id: fn.id })
    await expect(tests.list({ functionId: fn.id })).rejects.toMatchObject({ code: 'not_found' })
  })

  it('rejects an unknown template and a taken name', async () => {
    await expect(functions().create({ name: 'x', template: 'nope' })).rejects.toMatchObject({ code: 'validation_failed' })
    await functions().create({ name: 'taken', template: 'json-api' })
    await expect(functions().create({ name: 'taken', template: 'json-api' })).rejects.toMatchObject({ code: 'conflict' })
  })
})
