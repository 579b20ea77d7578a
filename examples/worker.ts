// Web form, as written for Cloudflare Workers or Deno: runs unchanged.
interface Env {
  GREETING?: string
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const body = request.method === 'POST' ? await request.json() : null
    return Response.json({ greeting: env.GREETING ?? 'hello', path: url.pathname, body })
  },
}
