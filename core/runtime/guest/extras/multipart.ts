// The two form encodings a body can carry: multipart/form-data (RFC 7578) both ways, and
// application/x-www-form-urlencoded when parsing.
import { utf8Decode, utf8Encode } from '../text-encoding.ts'
import { URLSearchParams } from '../url-search-params.ts'
import { blobBytes, File } from './blob.ts'
import { core } from './core-ref.ts'
import { FormData } from './form-data.ts'

const CRLF = utf8Encode('\r\n')

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]
  outer: for (let i = haystack.indexOf(first!, from); i >= 0 && i <= haystack.length - needle.length; i = haystack.indexOf(first!, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return i
  }
  return -1
}

function param(header: string, name: string): string | null {
  const match = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(header)
  if (!match) return null
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]!.trim()
}

/** Body.formData(): parses by the body's Content-Type; anything else is a TypeError, as in the spec. */
export function parseFormData(bytes: Uint8Array, contentType: string | null): FormData {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  const form = new FormData()
  if (type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(utf8Decode(bytes))) form.append(k, v)
    return form
  }
  if (type !== 'multipart/form-data') throw new TypeError(`Parsing a Body as FormData requires a Content-Type of multipart/form-data or application/x-www-form-urlencoded, got ${JSON.stringify(contentType ?? '')}`)
  const boundary = param(contentType!, 'boundary')
  if (!boundary) throw new TypeError('The multipart/form-data Content-Type has no boundary parameter')
  const delimiter = utf8Encode(`--${boundary}`)
  let pos = indexOf(bytes, delimiter, 0)
  if (pos < 0) throw new TypeError('Failed to parse the body as multipart/form-data: no boundary found')
  for (;;) {
    pos += delimiter.length
    if (bytes[pos] === 0x2d && bytes[pos + 1] === 0x2d) return form // closing delimiter
    if (bytes[pos] !== 0x0d || bytes[pos + 1] !== 0x0a) throw new TypeError('Failed to parse the body as multipart/form-data: malformed boundary line')
    pos += 2
    const headerEnd = indexOf(bytes, utf8Encode('\r\n\r\n'), pos)
    if (headerEnd < 0) throw new TypeError('Failed to parse the body as multipart/form-data: part headers do not end')
    const headers = new Map<string, string>()
    for (const line of utf8Decode(bytes.subarray(pos, headerEnd)).split('\r\n')) {
      const colon = line.indexOf(':')
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const next = indexOf(bytes, utf8Encode(`\r\n--${boundary}`), headerEnd + 4)
    if (next < 0) throw new TypeError('Failed to parse the body as multipart/form-data: missing closing boundary')
    const content = bytes.subarray(headerEnd + 4, next)
    const disposition = headers.get('content-disposition') ?? ''
    const name = param(disposition, 'name')
    if (name === null) throw new TypeError('Failed to parse the body as multipart/form-data: a part has no name')
    const filename = param(disposition, 'filename')
    if (filename !== null) form.append(name, new File([content.slice()], filename, { type: headers.get('content-type') ?? 'application/octet-stream' }))
    else form.append(name, utf8Decode(content))
    pos = next + 2
  }
}

const escapeName = (s: string) => s.replace(/\r\n|\r|\n/g, '\r\n').replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/"/g, '%22')

/** extractBody(FormData): multipart bytes and their Content-Type with a random boundary. */
export function serializeFormData(form: FormData): { bytes: Uint8Array; type: string } {
  const boundary = `----EdgepadFormBoundary${Array.from(core.random(12), (b) => b.toString(16).padStart(2, '0')).join('')}`
  const parts: Uint8Array[] = []
  for (const [name, value] of form) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${escapeName(name)}"`
    if (typeof value === 'string') {
      parts.push(utf8Encode(`${head}\r\n\r\n`), utf8Encode(value.replace(/\r\n|\r|\n/g, '\r\n')), CRLF)
    } else {
      head += `; filename="${escapeName(value.name)}"\r\nContent-Type: ${value.type || 'application/octet-stream'}\r\n\r\n`
      parts.push(utf8Encode(head), blobBytes(value), CRLF)
    }
  }
  parts.push(utf8Encode(`--${boundary}--\r\n`))
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const p of parts) {
    bytes.set(p, offset)
    offset += p.byteLength
  }
  return { bytes, type: `multipart/form-data; boundary=${boundary}` }
}
