import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../common/errors.ts'
import { startTestServer, type TestServer } from './fixtures/test-server.ts'
import { seededRandom } from '../core/store/fixtures/seeded-random.ts'

/*
 * Malformed input must always be a 4xx with an error code, never a 5xx and never accepted.
 * Every generated body is invalid by construction (at least one field from a list of values the
 * schema refuses), so a 2xx is a failure too. Seeded, so a failure reproduces.
 */

let t: TestServer
let user: { id: string; token: string }
let fnId = ''
beforeAll(async () => {
  t = await startTestServer()
  user = await t.user('fuzzer')
  const res = await t.api('POST', '/api/edge-functions', { token: user.token, body: { name: 'target', code: 'export default () => "ok"' } })
  fnId = res.body.id
})
afterAll(() => t?.close())

const rand = seededRandom(0xed9e)
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!
const huge = 'x'.repeat(70_000)

const INVALID_FUNCTION_FIELDS: Record<string, unknown[]> = {
  name: [null, 1, true, [], {}, '', 'UPPER', '-x', 'x'.repeat(64), 'a b', huge, '../etc'],
  code: [null, 1, true, [], {}, { toString: 'x' }],
  description: [1, true, [], {}, null, 'd'.repeat(2001)],
  handler: ['', '1abc', 'a-b', 1, null, 'x y'],
  runtime: ['PYTHON', 1, null, 'javascript', {}],
  envVars: [[], 'x', 1, { '1BAD': 'x' }, { A: 1 }, { A: null }, { constructor: 'x' }, { prototype: 'y' }, { 'A-B': 'x' }],
  timeout: [0, 999, 30001, 1.5, '1000', null, -1, 1e308, [], {}],
  memory: [63, 513, '128', null, 100.5, true],
  subdomain: [1, 'UP', '-a', '', 'a.b', huge],
  path: ['noslash', 1, '', 'p'.repeat(2000), []],
  domainId: [1, '', true, [], 'no-such-domain'],
  triggerType: ['WS', 1, null, 'http'],
  cronSchedule: ['* *', 1, 'a b c d e', '99 99 99 99 99', []],
  status: ['ON', 1, null, 'active'],
  rateLimit: [{}, { requests: 0, windowSeconds: 1 }, { requests: 1, windowSeconds: 1, key: 'cookie' }, 'x', [], { requests: 1, windowSeconds: 1, extra: 1 }, { requests: 1, windowSeconds: 0 }],
  debugResponses: ['true', 1, {}],
  secretHeaders: ['x', [1], ['bad header'], {}],
  owner: ['someone-else'],
  id: ['chosen-id'],
  isAdmin: [true],
}
const VALID_FUNCTION = { name: 'fz', code: 'export default () => 1', description: 'ok' }

function invalidFunctionBody(requireAll: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...VALID_FUNCTION }
  const fields = Object.keys(INVALID_FUNCTION_FIELDS)
  const n = 1 + Math.floor(rand() * 3)
  for (let i = 0; i < n; i++) {
    const field = pick(fields)
    body[field] = pick(INVALID_FUNCTION_FIELDS[field]!)
  }
  if (requireAll && rand() < 0.15) delete body[pick(['name', 'code'])]
  return body
}

const RAW_BODIES = [
  '', '{', '[', '}', 'null', '1', '"str"', 'true', '[]', '{"name":', '{"name":"a",}', "{'name':'a'}", 'NaN', '\u0000',
  '{"__proto__":{"polluted":true},"name":"fz","code":"export default () => 1"}',
  '{"constructor":{"prototype":{"polluted":true}},"name":"fz","code":"export default () => 1"}',
  '{"name":"fz","code":"export default () => 1","envVars":{"__proto__":"x"}}',
  '{"name":"fz","code":"export default () => 1","rateLimit":{"__proto__":{"requests":1}}}',
  '{"name":"fz","code":"export default () => 1","name":"dup","extra":1}',
  '\uFEFF{"name":"UPPER"}', '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
]

const INVALID_INVOKE: Record<string, unknown[]> = {
  method: ['', 'GE T', 1, 'x'.repeat(40), null],
  path: ['nos', 1, null, 'x'],
  headers: [[], { a: 1 }, 'x', { a: null }],
  queryParams: [{ a: 1 }, 'x', [], { a: [1] }],
  extra: [1],
}
const INVALID_DOMAIN = [{ hostname: '' }, { hostname: 'no' }, { hostname: 1 }, { hostname: 'a..b.com' }, { hostname: '-a.com' }, { hostname: huge }, {}, { hostname: 'ok.example.com', owner: 'x' }]
const INVALID_USER = [{ name: '' }, { name: 'A B' }, { name: 1 }, { name: 'x'.repeat(100) }, { name: 'ok', role: 'root' }, {}, { name: 'ok', token: 'x' }]

type Case = { method: string; path: string; token: string; body: string | Uint8Array }

function* cases(): Generator<Case> {
  const fn = (body: string | Uint8Array, method = 'POST', path = '/api/edge-functions'): Case => ({ method, path, token: user.token, body })
  for (let i = 0; i < 500; i++) yield fn(JSON.stringify(invalidFunctionBody(true)))
  for (let i = 0; i < 250; i++) {
    const body = invalidFunctionBody(false)
    for (const k of Object.keys(VALID_FUNCTION)) if (body[k] === VALID_FUNCTION[k as keyof typeof VALID_FUNCTION]) delete body[k]
    yield fn(JSON.stringify(body), 'PATCH', `/api/edge-functions/${fnId}`)
  }
  for (const raw of RAW_BODIES) {
    yield fn(raw)
    yield fn(raw, 'PATCH', `/api/edge-functions/${fnId}`)
    yield fn(raw, 'POST', `/api/edge-functions/${fnId}/invoke`)
    yield fn(raw, 'POST', '/api/domains')
  }
  for (let i = 0; i < 40; i++) yield fn(new Uint8Array(Array.from({ length: 1 + Math.floor(rand() * 64) }, () => Math.floor(rand() * 256))))
  yield fn(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]))
  for (let i = 0; i < 150; i++) {
    const body: Record<string, unknown> = { method: 'GET', path: '/' }
    const field = pick(Object.keys(INVALID_INVOKE))
    body[field] = pick(INVALID_INVOKE[field]!)
    yield fn(JSON.stringify(body), 'POST', `/api/edge-functions/${fnId}/invoke`)
  }
  for (let i = 0; i < 40; i++) yield fn(JSON.stringify(pick(INVALID_DOMAIN)), 'POST', '/api/domains')
  for (let i = 0; i < 40; i++) yield { method: 'POST', path: '/api/users', token: t.adminToken, body: JSON.stringify(pick(INVALID_USER)) }
  for (const body of [{ name: '' }, { name: 'n'.repeat(101) }, { name: 1 }, { name: 'ok', token: 'chosen' }, [], 'x']) {
    yield fn(JSON.stringify(body), 'POST', `/api/users/${user.id}/tokens`)
  }
  yield fn('{"name":"fz","code":"' + 'c'.repeat(7 * 1024 * 1024) + '"}')
}

describe('fuzz', () => {
  it('answers every malformed body with a 4xx and an error code', async () => {
    let count = 0
    const failures: string[] = []
    for (const c of cases()) {
      count++
      const res = await fetch(`${t.url}${c.path}`, { method: c.method, headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' }, body: c.body })
      const text = await res.text()
      let code: unknown
      try {
        code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code
      } catch {
        code = undefined
      }
      if (res.status < 400 || res.status > 499 || !(ERROR_CODES as readonly unknown[]).includes(code)) {
        failures.push(`${c.method} ${c.path} ${typeof c.body === 'string' ? c.body.slice(0, 200) : '<bytes>'} -> ${res.status} ${text.slice(0, 200)}`)
      }
    }
    expect(count).toBeGreaterThanOrEqual(1000)
    expect(failures).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    // The target is untouched and still serves.
    expect(await (await fetch(`${t.url}/fn/${fnId}`)).text()).toBe('ok')
  })
})
