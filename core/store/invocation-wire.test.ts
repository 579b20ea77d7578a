import { describe, expect, it } from 'vitest'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { toInvocationRow, type RedactionRules } from './invocation-row.ts'
import { fromWire, toWire } from './invocation-wire.ts'
import { BUILTIN_SECRET_HEADERS } from './redaction.ts'

const rules: RedactionRules = { secretHeaders: new Set(BUILTIN_SECRET_HEADERS), secretValues: ['env-secret-value'] }

/** What the writer thread receives: the wire form after a structured clone, as postMessage does it. */
const crossed = (inv: NewInvocation & { id: string }) => fromWire(structuredClone(toWire(inv)))

const cases: [string, NewInvocation & { id: string }][] = [
  ['hello world', { ...makeInvocation(), id: 'a' }],
  [
    'console, query arrays, secrets, set-cookie array, text request body',
    {
      ...makeInvocation({
        path: '/api/orders/42',
        console: ['one env-secret-value', 'two', ''],
        query: { tag: ['a', 'b'], q: 'env-secret-value' },
        requestHeaders: { authorization: 'Bearer tok-123456', 'user-agent': 'x' },
        responseHeaders: { 'set-cookie': ['sid=abcdef; Path=/', 'b=2'], 'content-type': 'application/json' },
        requestBody: '{"token":"tok-123456"}',
        responseBody: 'body with env-secret-value',
      }),
      id: 'b',
    },
  ],
  ['error with stack, binary request body', { ...makeInvocation({ outcome: 'runtime_error', status: 500, error: 'boom', requestBody: new Uint8Array([0xff, 0xfe, 0]) }), id: 'c' }],
]

describe('invocation wire form', () => {
  it.each(cases)('round-trips every field the log stores (%s)', (_, inv) => {
    const back = crossed(inv)
    // Before the wire form the object itself was structured-cloned (a Buffer arrives as a Uint8Array).
    expect(back).toEqual(structuredClone(inv))
    expect(toInvocationRow(back.id, back, rules, 64 * 1024)).toEqual(toInvocationRow(inv.id, inv, rules, 64 * 1024))
  })

  it('keeps an error without a stack stackless, and drops only what the log does not store', () => {
    const base = makeInvocation()
    const inv = { ...base, id: 'd', result: { ...base.result, outcome: 'timeout' as const, error: { message: 'slow', line: 3, column: 9 }, background: true } }
    const back = crossed(inv)
    expect(back.result.error).toEqual({ message: 'slow' })
    expect(back.result).not.toHaveProperty('background')
    expect(toInvocationRow('d', back, rules, 1024)).toEqual(toInvocationRow('d', inv, rules, 1024))
  })
})
