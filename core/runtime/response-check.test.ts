import { describe, expect, it } from 'vitest'
import { checkReportedResponse, checkResponse } from './response-check.ts'

/** The guest's packing (entry.ts packHeaders), for building inputs. */
const pack = (pairs: [string, string][]) => pairs.map(([n, v]) => `${n.length}:${n}${v.length}:${v}`).join('')

describe('checkReportedResponse (the complete hook’s flat form)', () => {
  it('unpacks exactly what checkResponse sees as pairs, whatever the values hold', () => {
    const pairs: [string, string][] = [
      ['content-type', 'text/plain;charset=UTF-8'],
      ['x-colons', '12:34:56'],
      ['x-digits', '9'],
      ['x-empty', ''],
      ['x-unicode', 'é€😀'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2; Path=/'],
      ['X-Case', 'kept'],
      ['x-dup', 'one'],
      ['x-dup', 'two'],
      ['content-length', '999'],
    ]
    const reported = checkReportedResponse(201, pack(pairs), 'hi')
    expect(reported).toEqual(checkResponse({ status: 201, headers: pairs, body: 'hi' }))
    expect(reported.ok && reported.response.headers).toEqual({
      'content-type': 'text/plain;charset=UTF-8', 'x-colons': '12:34:56', 'x-digits': '9', 'x-empty': '', 'x-unicode': 'é€😀',
      'set-cookie': ['a=1', 'b=2; Path=/'], 'x-case': 'kept', 'x-dup': 'one, two',
    })
    expect(checkReportedResponse(200, '', null)).toEqual({ ok: true, response: { statusCode: 200, headers: {}, body: new Uint8Array(0) } })
  })

  it('encodes a string body as UTF-8 (lone surrogates replaced) and keeps bytes as they are', () => {
    const text = checkReportedResponse(200, '', 'é\ud800')
    expect(text.ok && [...text.response.body]).toEqual([0xc3, 0xa9, 0xef, 0xbf, 0xbd])
    const bytes = new Uint8Array([0, 255])
    const raw = checkReportedResponse(200, '', bytes)
    expect(raw.ok && raw.response.body).toBe(bytes)
  })

  it('refuses a malformed packing as an invalid response, never a crash or a shifted header', () => {
    for (const packed of [':x', '3:ab', '2:ab', 'x:ab1:c', '2:ab', '2:ab1', '2:ab-1:c', '1:a99999999999:c', '01', 42, null, ['2:ab1:c']]) {
      const checked = checkReportedResponse(200, packed, null)
      expect(checked.ok, String(packed)).toBe(false)
      expect(!checked.ok && checked.kind).toBe('invalid_response')
    }
    // Values that would break the HTTP message are refused here too, not only in the guest.
    for (const bad of [['x', 'a\r\nb'], ['bad name', 'v'], ['x', 'nul\0']] as [string, string][]) {
      expect(checkReportedResponse(200, pack([bad]), null)).toMatchObject({ ok: false, kind: 'invalid_response' })
    }
  })

  it('checks status and sizes like checkResponse', () => {
    expect(checkReportedResponse(99, '', null)).toMatchObject({ ok: false, kind: 'invalid_response' })
    expect(checkReportedResponse('200', '', null)).toMatchObject({ ok: false, kind: 'invalid_response' })
    expect(checkReportedResponse(204, '', 'x')).toMatchObject({ ok: false, kind: 'invalid_response', message: 'A 204 response cannot have a body' })
    expect(checkReportedResponse(200, pack([['x-big', 'v'.repeat(70_000)]]), null)).toMatchObject({ ok: false, kind: 'response_too_large' })
  })
})
