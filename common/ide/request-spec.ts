import { z } from 'zod'

const pair = z.object({ name: z.string().max(256), value: z.string().max(16 * 1024), enabled: z.boolean().default(true) })

/** What the request builder edits and a test case stores: ordered rows, so duplicates and disabled rows survive. */
export const requestSpecSchema = z
  .object({
    method: z.string().regex(/^[A-Za-z]+$/, 'method must be letters only').max(16).default('GET'),
    path: z.string().max(8 * 1024).regex(/^\//, 'path must start with /').default('/'),
    query: z.array(pair).max(100).default([]),
    headers: z.array(pair).max(100).default([]),
    bodyType: z.enum(['none', 'json', 'text']).default('none'),
    body: z.string().max(1024 * 1024).default(''),
  })
  .strict()

export type RequestSpecInput = z.input<typeof requestSpecSchema>
export type RequestSpec = z.output<typeof requestSpecSchema>
export type RequestPair = RequestSpec['query'][number]

export const DEFAULT_REQUEST: RequestSpec = { method: 'GET', path: '/', query: [], headers: [], bodyType: 'none', body: '' }

/** A problem the builder shows before sending; null when the body is acceptable. */
export function bodyProblem(spec: Pick<RequestSpec, 'bodyType' | 'body'>): string | null {
  if (spec.bodyType !== 'json') return null
  try {
    JSON.parse(spec.body)
    return null
  } catch (error) {
    return `Body is not valid JSON: ${(error as Error).message}`
  }
}

/** The runtime's request input: enabled rows only, repeated query names kept in order. */
export function toRequestInput(spec: RequestSpec): {
  method: string
  path: string
  query: Record<string, string[]>
  headers: Record<string, string>
  body: string | null
} {
  const query: Record<string, string[]> = {}
  for (const row of spec.query) if (row.enabled && row.name) (query[row.name] ??= []).push(row.value)
  const headers: Record<string, string> = {}
  for (const row of spec.headers) if (row.enabled && row.name) headers[row.name.toLowerCase()] = row.value
  const hasBody = spec.bodyType !== 'none' && spec.method !== 'GET' && spec.method !== 'HEAD'
  if (hasBody && !headers['content-type']) headers['content-type'] = spec.bodyType === 'json' ? 'application/json' : 'text/plain'
  return { method: spec.method.toUpperCase(), path: spec.path, query, headers, body: hasBody ? spec.body : null }
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`
}

/** `curl` for the same request against a given base URL (the served function's address). */
export function toCurl(spec: RequestSpec, baseUrl: string): string {
  const input = toRequestInput(spec)
  // common has no DOM/Node globals, so the query string is encoded by hand.
  const qs = Object.entries(input.query)
    .flatMap(([name, values]) => values.map((value) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`))
    .join('&')
  const parts = ['curl', '-X', input.method, shellQuote(`${baseUrl.replace(/\/$/, '')}${input.path}${qs ? `?${qs}` : ''}`)]
  for (const [name, value] of Object.entries(input.headers)) parts.push('-H', shellQuote(`${name}: ${value}`))
  if (input.body !== null) parts.push('--data-raw', shellQuote(input.body))
  return parts.join(' ')
}
