import type { RuntimeLanguage } from '../model/invocation.ts'

export interface FunctionTemplate {
  id: string
  label: string
  description: string
  runtime: RuntimeLanguage
  code: string
}

/** Starting points offered by "New function"; each runs as-is on the runtime. */
export const TEMPLATES: readonly FunctionTemplate[] = [
  {
    id: 'hello-world',
    label: 'Hello world',
    description: 'Greets the caller by the ?name= query parameter.',
    runtime: 'JAVASCRIPT',
    code: `export default async function handler(request) {
  const name = request.query.name ?? 'world'
  console.log('greeting', name)
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: \`Hello, \${name}!\` }
}
`,
  },
  {
    id: 'json-api',
    label: 'JSON API',
    description: 'A small REST-style resource that answers JSON.',
    runtime: 'TYPESCRIPT',
    code: `interface Item {
  id: number
  name: string
}

const items: Item[] = [
  { id: 1, name: 'apple' },
  { id: 2, name: 'pear' },
]

export default async function handler(request: EdgeRequest): Promise<EdgeResponse> {
  if (request.method === 'GET') return { statusCode: 200, body: { items } }
  if (request.method === 'POST') {
    const input = JSON.parse(request.body ?? '{}') as Partial<Item>
    if (!input.name) return { statusCode: 400, body: { error: 'name is required' } }
    const item = { id: items.length + 1, name: input.name }
    items.push(item)
    return { statusCode: 201, body: item }
  }
  return { statusCode: 405, headers: { allow: 'GET, POST' }, body: { error: 'method not allowed' } }
}
`,
  },
  {
    id: 'webhook-receiver',
    label: 'Webhook receiver',
    description: 'Checks a shared secret header, then logs the event.',
    runtime: 'JAVASCRIPT',
    code: `export default async function handler(request) {
  if (request.method !== 'POST') return { statusCode: 405, body: { error: 'POST only' } }
  if (request.headers['x-webhook-secret'] !== env.WEBHOOK_SECRET) {
    console.warn('rejected webhook with a wrong secret')
    return { statusCode: 401, body: { error: 'bad secret' } }
  }
  const event = JSON.parse(request.body ?? '{}')
  console.info('received event', event.type)
  return { statusCode: 202, body: { received: event.type ?? 'unknown' } }
}
`,
  },
  {
    id: 'fetch-proxy',
    label: 'Fetch proxy',
    description: 'Forwards the request path to an upstream set in env.UPSTREAM.',
    runtime: 'JAVASCRIPT',
    code: `export default {
  async fetch(request, env) {
    if (!env.UPSTREAM) return new Response('Set the UPSTREAM env var first', { status: 500 })
    const url = new URL(request.url)
    const upstream = await fetch(env.UPSTREAM + url.pathname + url.search)
    console.log('proxied', url.pathname, upstream.status)
    return new Response(await upstream.text(), { status: upstream.status, headers: { 'x-proxied-by': 'edgepad' } })
  },
}
`,
  },
  {
    id: 'fetch-handler',
    label: 'Web-standard fetch handler',
    description: 'The Workers / Deno shape: fetch(request, env, ctx) returning a Response.',
    runtime: 'TYPESCRIPT',
    code: `export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url)
    ctx.waitUntil(Promise.resolve(console.log('served', url.pathname)))
    return Response.json({ path: url.pathname, method: request.method, at: new Date().toISOString() })
  },
}
`,
  },
]

export function findTemplate(id: string): FunctionTemplate | undefined {
  return TEMPLATES.find((template) => template.id === id)
}
