import type { RemoteClient, RemoteFunction } from './remote-client.ts'

/**
 * Where a published function answers: always `<server>/fn/<id>`, then the host-routed URL when
 * the server routes it (a verified custom domain, or a subdomain of the server's base domain).
 */
export async function publicUrls(client: RemoteClient, fn: RemoteFunction): Promise<string[]> {
  const urls = [`${client.url}${fn.url}`]
  const protocol = new URL(client.url).protocol
  const path = fn.path ?? '/'
  if (fn.domainId) {
    const domain = await client.domain(fn.domainId).catch(() => null)
    if (domain?.verifiedAt != null) urls.push(`${protocol}//${fn.subdomain ? `${fn.subdomain}.` : ''}${domain.hostname}${path}`)
  } else if (fn.subdomain) {
    const info = await client.serverInfo().catch(() => null)
    if (info?.baseDomain) urls.push(`${protocol}//${fn.subdomain}.${info.baseDomain}${path}`)
  }
  return urls
}

export function curlFor(url: string): string {
  return `curl -i '${url.replace(/'/g, `'\\''`)}'`
}
