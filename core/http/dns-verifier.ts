import { Resolver } from 'node:dns/promises'

export interface DnsVerifier {
  /** TXT strings at `name` (multi-string records joined); empty when the name has none. */
  txt(name: string): Promise<string[]>
}

const MISSING = new Set(['ENOTFOUND', 'ENODATA', 'ENONAME', 'NXDOMAIN'])

/** `servers` like `["1.1.1.1", "127.0.0.1:5353"]`; the system resolvers when empty. */
export function createDnsVerifier(options: { servers?: readonly string[]; timeoutMs?: number } = {}): DnsVerifier {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: 2 })
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers])
  return {
    async txt(name) {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))
      } catch (error) {
        if (MISSING.has((error as { code?: string }).code ?? '')) return []
        throw error
      }
    },
  }
}

export const verificationRecordName = (hostname: string) => `_edgepad.${hostname}`
