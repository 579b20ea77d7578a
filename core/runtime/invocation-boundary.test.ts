// The warm invocation path across the isolate boundary (request head as JSON text, the flat
// `complete` hook, string bodies encoded by the host, the deadline timer armed only for
// invocations that wait): what a handler sees and what comes back must be exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { functionSpecSchema, type EdgeRequest, type InvocationResult } from '../../common/model/invocation.ts'
import { Executor } from './executor.ts'
import { prepareRequest } from './request-input.ts'

let executor: Executor
let counter = 0
beforeAll(async () => {
  executor = await Executor.create({ spareSandboxes: 1 })
})
afterAll(() => executor.close())

const run = (code: string, request: EdgeRequest = prepareRequest({}), spec: Record<string, unknown> = {}): Promise<InvocationResult> =>
  executor.run(functionSpecSchema.parse({ id: `boundary-${counter++}`, code, ...spec }), request)
const text = (result: InvocationResult) => new TextDecoder().decode(result.response.body)

describe('request into the isolate', () => {
  it('reaches seed and Web-form handlers exactly: headers (also as plain properties), path, query, body', async () => {
    const prepared = prepareRequest({
      method: 'POST', path: '/a b/ü', query: { q: 'x:y', multi: ['1', '2'] },
      headers: { 'X-Upper': 'v', 'x-spaced': '  padded\t', 'x-latin': 'caf\u00e9', get: 'shadowed?', constructor: 'ctor' },
      body: '{"a":"\u{1F600}"}',
    })
    // A header named __proto__ is an own property, as a structured copy from the supervisor makes it.
    const request = { ...prepared, headers: JSON.parse(`{"__proto__":"proto",${JSON.stringify(prepared.headers).slice(1)}`) as Record<string, string> }
    const seen = `({ path: request.path, query: request.query, body: request.body, upper: request.headers['x-upper'], spaced: request.headers['x-spaced'],
      viaGet: request.headers.get('x-spaced'), latin: request.headers.get('x-latin'), getIsMethod: typeof request.headers.get,
      proto: Object.getOwnPropertyDescriptor(request.headers, '__proto__')?.value, isHeaders: request.headers instanceof Headers, ctor: request.headers.constructor, entries: [...request.headers], url: request.url, method: request.method })`
    const seed = await run(`export default async (request) => ({ statusCode: 200, body: ${seen} })`, request)
    expect(seed.outcome).toBe('ok')
    const got = JSON.parse(text(seed))
    expect(got).toMatchObject({
      path: '/a%20b/%C3%BC', query: { q: 'x:y', multi: ['1', '2'] }, body: '{"a":"\u{1F600}"}', upper: 'v', spaced: '  padded\t',
      viaGet: 'padded', latin: 'caf\u00e9', getIsMethod: 'function', proto: 'proto', isHeaders: true, ctor: 'ctor', method: 'POST',
    })
    expect(got.entries).toEqual([
      ['__proto__', 'proto'], ['constructor', 'ctor'], ['content-type', 'text/plain;charset=UTF-8'], ['get', 'shadowed?'], ['host', 'localhost'],
      ['x-latin', 'caf\u00e9'], ['x-spaced', 'padded'], ['x-upper', 'v'],
    ])
    const web = await run(`export default { async fetch(request) { return Response.json({ ...${seen}, body: await request.text() }) } }`, request)
    expect(JSON.parse(text(web))).toEqual({ ...got, body: '{"a":"\u{1F600}"}' })
  })

  it('a body that is a slice of a larger buffer crosses as just its bytes', async () => {
    const backing = new Uint8Array([1, 2, 3, 4, 5, 6])
    const request = prepareRequest({ method: 'POST', body: backing.subarray(2, 4) })
    const result = await run(`export default { async fetch(request) { return Response.json([...new Uint8Array(await request.arrayBuffer())]) } }`, request)
    expect(JSON.parse(text(result))).toEqual([3, 4])
  })
})

describe('response out of the isolate', () => {
  it('Web-form string bodies arrive as their UTF-8 bytes, small and large, lone surrogates replaced', async () => {
    for (const body of ['hi', '', 'é\ud800x', 'x'.repeat(600) + '€', '\ufeffbom']) {
      const result = await run(`export default { fetch() { return new Response(${JSON.stringify(body)}) } }`)
      expect(result.outcome).toBe('ok')
      expect(Buffer.from(result.response.body).equals(Buffer.from(body, 'utf8'))).toBe(true)
      expect(result.response.headers['content-type']).toBe('text/plain;charset=UTF-8')
    }
  })

  it('a string body read, cloned or streamed in the guest still goes out whole', async () => {
    const code = `export default { async fetch() {
      const a = new Response('read me'); const t = await a.clone().text()
      const b = new Response('streamed'); const reader = b.clone().body.getReader(); await reader.read()
      const c = Response.json({ t })
      return new Response(t + '|' + await b.text() + '|' + await c.text() + '|' + (await new Request('http://x/', { method: 'POST', body: 'req' }).text()), { headers: a.headers })
    } }`
    const result = await run(code)
    expect(text(result)).toBe('read me|streamed|{"t":"read me"}|req')
  })

  it('headers with colons, digits and repeated set-cookie come back exactly', async () => {
    const code = `export default { fetch() {
      const h = new Headers([['x-time', '12:30:05'], ['x-n', '7'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2:3'], ['x-empty', '']])
      return new Response(null, { status: 202, headers: h })
    } }`
    const result = await run(code)
    expect(result.response.statusCode).toBe(202)
    expect(result.response.headers).toEqual({ 'x-time': '12:30:05', 'x-n': '7', 'set-cookie': ['a=1', 'b=2:3'], 'x-empty': '' })
    const seed = await run(`export default () => ({ statusCode: 200, headers: { 'x-u': 'é€', 'x-multi': ['1', 2, true] }, body: 'ok' })`)
    expect(seed.response.headers).toMatchObject({ 'x-u': 'é€', 'x-multi': '1, 2, true' })
  })

  it('failures keep their kind, name and message', async () => {
    const thrown = await run(`export default () => { throw new TypeError('bad: 1:2') }`)
    expect(thrown.outcome).toBe('runtime_error')
    expect(thrown.error?.message).toBe('TypeError: bad: 1:2')
    const value = await run(`export default () => { throw 'plain' }`)
    expect(value.error?.message).toBe('Uncaught "plain"')
    const invalid = await run(`export default () => ({ statusCode: 700 })`)
    expect(invalid.outcome).toBe('invalid_response')
  })
})

describe('the wall-clock deadline', () => {
  it('an invocation that waits between entries still ends at its deadline; one that finishes at once never needs a timer', async () => {
    const never = await run(`export default async () => { await new Promise(() => {}); return 'never' }`, prepareRequest({}), { timeoutMs: 1000 })
    expect(never.outcome).toBe('timeout')
    expect(never.metrics.wallMs).toBeGreaterThanOrEqual(990)
    expect(never.metrics.wallMs).toBeLessThan(1500)
    const later = await run(`export default async () => { await new Promise((r) => setTimeout(r, 20)); return 'later' }`, prepareRequest({}), { timeoutMs: 1000 })
    expect(text(later)).toBe('later')
    const spec = functionSpecSchema.parse({ id: `boundary-${counter++}`, code: `export default () => 'now'`, timeoutMs: 1000 })
    for (let i = 0; i < 50; i++) expect(text(await executor.run(spec, prepareRequest({})))).toBe('now')
  })
})
