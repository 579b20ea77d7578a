import { lookup as systemLookup } from 'node:dns'
import { Resolver } from 'node:dns/promises'
import { isIP } from 'node:net'
import { z } from 'zod'
import { refusalFor } from './address-policy.ts'

export const egressPolicySchema = z.object({
  /** Desktop: people test against localhost services, so the local network is allowed. Server: refused. */
  allowPrivateNetworks: z.boolean(),
  /** DNS servers to ask instead of the system resolver (`host:port`); tests point this at a loopback server. */
  dnsServers: z.array(z.string()).optional(),
})

export type EgressPolicy = z.infer<typeof egressPolicySchema>

export class EgressRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'EgressRefused'
  }
}

type LookupCallback = (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void

/** Refuses a URL whose host is an IP literal in a blocked range, before any connection is tried. */
export function checkLiteralHost(url: URL, policy: EgressPolicy): void {
  if (policy.allowPrivateNetworks) return
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  if (!isIP(host)) return
  const reason = refusalFor(host)
  if (reason) throw new EgressRefused(`refused to connect to ${url.hostname}: it is ${reason}`)
}

/**
 * The `lookup` used for every outgoing connection: resolve the name ourselves, refuse it if ANY
 * answer is in a blocked range, and hand the socket the address we checked, so a second, different
 * DNS answer (rebinding) can never be what we connect to.
 */
export function pinnedLookup(policy: EgressPolicy) {
  const resolver = policy.dnsServers?.length ? new Resolver({ timeout: 3000, tries: 1 }) : null
  if (resolver) resolver.setServers(policy.dnsServers!)

  async function resolveAll(hostname: string): Promise<{ address: string; family: number }[]> {
    if (resolver) {
      const [v4, v6] = await Promise.all([resolver.resolve4(hostname).catch(() => []), resolver.resolve6(hostname).catch(() => [])])
      return [...v4.map((address) => ({ address, family: 4 })), ...v6.map((address) => ({ address, family: 6 }))]
    }
    return new Promise((resolve, reject) =>
      systemLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses))),
    )
  }

  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolveAll(hostname).then(
      (addresses) => {
        if (addresses.length === 0) return callback(new EgressRefused(`could not resolve ${hostname}`), [])
        if (!policy.allowPrivateNetworks) {
          for (const { address } of addresses) {
            const reason = refusalFor(address)
            if (reason) return callback(new EgressRefused(`refused to connect to ${hostname}: it resolves to ${address}, ${reason}`), [])
          }
        }
        const chosen = addresses[0]!
        if (options.all) callback(null, [chosen])
        else callback(null, chosen.address, chosen.family)
      },
      (error: Error) => callback(new EgressRefused(`could not resolve ${hostname}: ${error.message}`), []),
    )
  }
}
