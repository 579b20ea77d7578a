import { describe, expect, it } from 'vitest'
import { LINE_TRUNCATED } from '../../common/model/invocation.ts'
import { makeInvocation } from './fixtures/make-invocation.ts'
import { toInvocationRow, type RedactionRules } from './invocation-row.ts'
import { BUILTIN_SECRET_HEADERS, REDACTED } from './redaction.ts'

describe('toInvocationRow redaction with one rules object for many rows', () => {
  it('scrubs each row’s own header secrets only, and the env values from every row', () => {
    const rules: RedactionRules = { secretHeaders: new Set(BUILTIN_SECRET_HEADERS), secretValues: ['env-value-1'] }
    const logged = ['token tok-AAAA', 'env env-value-1']
    const plain = () => makeInvocation({ console: logged })
    const withAuth = makeInvocation({ console: logged, requestHeaders: { authorization: 'Bearer tok-AAAA' } })
    const before = toInvocationRow('1', plain(), rules, 1024)
    const authRow = toInvocationRow('2', withAuth, rules, 1024)
    const after = toInvocationRow('3', plain(), rules, 1024)
    expect(authRow.consoleText).toBe(`token ${REDACTED}\nenv ${REDACTED}`)
    expect(JSON.parse(authRow.requestHeaders)).toEqual({ authorization: REDACTED })
    // A row without the header keeps the text: it was never a secret of that request.
    for (const row of [before, after]) expect(row.consoleText).toBe(`token tok-AAAA\nenv ${REDACTED}`)
  })

  it('keeps the credentials of different requests apart', () => {
    const rules: RedactionRules = { secretHeaders: new Set(BUILTIN_SECRET_HEADERS), secretValues: [] }
    const row = (token: string) => toInvocationRow('1', makeInvocation({ console: ['saw tok-AAAA and tok-BBBB'], requestHeaders: { authorization: `Bearer ${token}` } }), rules, 1024)
    for (let i = 0; i < 2; i++) {
      expect(row('tok-AAAA').consoleText).toBe(`saw ${REDACTED} and tok-BBBB`)
      expect(row('tok-BBBB').consoleText).toBe(`saw tok-AAAA and ${REDACTED}`)
    }
  })

  it('keeps no part of a secret a console line was cut in the middle of', () => {
    const secret = 'env-secret-0123456789'
    const rules: RedactionRules = { secretHeaders: new Set(BUILTIN_SECRET_HEADERS), secretValues: [secret] }
    // As the runtime cuts a line at its length limit: here, 12 characters into the secret.
    const cut = `${secret} then ${'y'.repeat(30)} ${secret.slice(0, 12)}${LINE_TRUNCATED}`
    const row = toInvocationRow('1', makeInvocation({ console: [cut, `${LINE_TRUNCATED} is just text`] }), rules, 1024)
    // Dropped: the last 20 characters (the longest secret less one), where a cut secret could start.
    expect(row.consoleText).toBe(`${REDACTED} then ${'y'.repeat(23)}${LINE_TRUNCATED}\n${LINE_TRUNCATED} is just text`)
    expect(row.console).not.toContain('env-secret')
  })

  it('stores an empty console as [] with no full-text console text', () => {
    const row = toInvocationRow('1', makeInvocation(), { secretHeaders: new Set(), secretValues: [] }, 1024)
    expect([row.console, row.consoleText, row.query]).toEqual(['[]', '', '{}'])
  })
})
