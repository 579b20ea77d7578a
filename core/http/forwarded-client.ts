import type { IncomingMessage } from 'node:http'

/** Set by a worker's front on each request it forwards to the host: `<secret> <client address>`. */
export const FORWARDED_HEADER = 'x-edgepad-forwarded'

const clients = new WeakMap<IncomingMessage, string>()

/**
 * Accepts the header only with this server's secret (anything else is the client's own header and
 * stays), records the client address it carries, and removes it so no function ever sees it.
 */
export function acceptForwarded(req: IncomingMessage, secret: string): void {
  const value = req.headers[FORWARDED_HEADER]
  if (typeof value !== 'string' || !value.startsWith(`${secret} `)) return
  clients.set(req, value.slice(secret.length + 1))
  delete req.headers[FORWARDED_HEADER]
  const raw = req.rawHeaders
  for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]!.toLowerCase() === FORWARDED_HEADER) raw.splice(i, 2)
}

/** The client a forwarded request came from; undefined for a request the host took itself. */
export function forwardedClient(req: IncomingMessage): string | undefined {
  return clients.get(req)
}
