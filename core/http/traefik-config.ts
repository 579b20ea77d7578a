export interface TraefikOptions {
  /** Where Traefik forwards to: this server as Traefik reaches it. */
  upstreamUrl: string
  certResolver: string
  entryPoints: readonly string[]
}

/**
 * Traefik dynamic configuration (HTTP provider, JSON): one router per verified domain covering
 * the domain and each subdomain routed on it, with a certificate from `certResolver`. Concrete
 * host names, not wildcards: the HTTP-01 challenge cannot issue wildcard certificates.
 */
export function traefikConfig(domains: readonly { id: string; hostname: string; hosts: readonly string[] }[], options: TraefikOptions) {
  const routers: Record<string, unknown> = {}
  for (const domain of domains) {
    const hosts = [...new Set([domain.hostname, ...domain.hosts])].sort()
    routers[`edgepad-${domain.hostname.replace(/[^a-z0-9-]/g, '-')}`] = {
      rule: hosts.map((h) => `Host(\`${h}\`)`).join(' || '),
      service: 'edgepad',
      entryPoints: [...options.entryPoints],
      tls: { certResolver: options.certResolver, domains: [{ main: domain.hostname, sans: hosts.filter((h) => h !== domain.hostname) }] },
    }
  }
  return { http: { routers, services: { edgepad: { loadBalancer: { servers: [{ url: options.upstreamUrl }], passHostHeader: true } } } } }
}
