import { describe, expect, it } from 'vitest'
import { bodyProblem, requestSpecSchema, toCurl, toRequestInput } from './request-spec.ts'

describe('request spec', () => {
  const spec = requestSpecSchema.parse({
    method: 'post',
    path: '/items',
    query: [
      { name: 'tag', value: 'a b' },
      { name: 'tag', value: 'c' },
      { name: 'off', value: 'x', enabled: false },
    ],
    headers: [{ name: 'X-Key', value: "it's" }],
    bodyType: 'json',
    body: '{"n":1}',
  })

  it('keeps repeated query names, drops disabled rows and adds a content type', () => {
    expect(toRequestInput(spec)).toEqual({
      method: 'POST',
      path: '/items',
      query: { tag: ['a b', 'c'] },
      headers: { 'x-key': "it's", 'content-type': 'application/json' },
      body: '{"n":1}',
    })
  })

  it('never sends a body with GET', () => {
    expect(toRequestInput({ ...spec, method: 'GET' }).body).toBeNull()
  })

  it('quotes curl arguments for a POSIX shell', () => {
    expect(toCurl(spec, 'http://127.0.0.1:8787/fn/abc/')).toBe(
      `curl -X POST 'http://127.0.0.1:8787/fn/abc/items?tag=a%20b&tag=c' -H 'x-key: it'\\''s' -H 'content-type: application/json' --data-raw '{"n":1}'`,
    )
  })

  it('reports invalid JSON bodies only for the JSON body type', () => {
    expect(bodyProblem({ bodyType: 'json', body: '{' })).toMatch(/not valid JSON/)
    expect(bodyProblem({ bodyType: 'text', body: '{' })).toBeNull()
  })
})
