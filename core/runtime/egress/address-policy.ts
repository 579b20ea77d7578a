import { BlockList, isIP } from 'node:net'

/**
 * Addresses a function on a shared server may never reach: loopback, private, link-local (cloud
 * metadata at 169.254.169.254 included), CGNAT, unique-local (fd00:ec2::254), multicast, reserved
 * and documentation ranges. IPv6 forms that embed an IPv4 address are checked by that address.
 */
const blocked = new BlockList()
const v4: [string, number, string][] = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'a loopback address'],
  ['169.254.0.0', 16, 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a reserved address'],
  ['192.0.2.0', 24, 'a documentation address'],
  ['192.88.99.0', 24, 'a reserved relay address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['198.51.100.0', 24, 'a documentation address'],
  ['203.0.113.0', 24, 'a documentation address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
]
const v6: [string, number, string][] = [
  ['::', 128, 'an unspecified address'],
  ['::1', 128, 'a loopback address'],
  ['100::', 64, 'a discard address'],
  ['2001:db8::', 32, 'a documentation address'],
  ['fc00::', 7, 'a unique-local address'],
  ['fe80::', 10, 'a link-local address'],
  ['fec0::', 10, 'a site-local address'],
  ['ff00::', 8, 'a multicast address'],
]
const reasons = new Map<string, string>()
for (const [net, prefix, reason] of v4) {
  blocked.addSubnet(net, prefix, 'ipv4')
  reasons.set(`${net}/${prefix}`, reason)
}
for (const [net, prefix, reason] of v6) {
  blocked.addSubnet(net, prefix, 'ipv6')
  reasons.set(`${net}/${prefix}`, reason)
}

/** Why `address` is refused, or null when it is a public address. `address` must be an IP literal. */
export function refusalFor(address: string): string | null {
  const ip = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address
  const family = isIP(ip)
  if (family === 0) return 'not an IP address'
  if (family === 6) {
    const embedded = embeddedIPv4(ip)
    if (embedded) return refusalFor(embedded)
  }
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (!blocked.check(ip, type)) return null
  for (const [net, prefix, reason] of family === 4 ? v4 : v6) {
    const one = new BlockList()
    one.addSubnet(net, prefix, type)
    if (one.check(ip, type)) return reason
  }
  return 'a reserved address'
}

/** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms. */
function embeddedIPv4(ip: string): string | null {
  const groups = expandIPv6(ip)
  if (!groups) return null
  const toV4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0)
  if (zeros(0, 5) && groups[5] === 0xffff) return toV4(groups[6]!, groups[7]!)
  if (zeros(0, 6) && (groups[6] !== 0 || groups[7]! > 1)) return toV4(groups[6]!, groups[7]!)
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return toV4(groups[6]!, groups[7]!)
  if (groups[0] === 0x2002) return toV4(groups[1]!, groups[2]!)
  return null
}

function expandIPv6(ip: string): number[] | null {
  let text = ip.split('%')[0]!
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (dotted) {
    const parts = dotted[1]!.split('.').map(Number)
    text = text.slice(0, dotted.index) + `${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0')
  const all = [...h, ...fill, ...t]
  if (all.length !== 8) return null
  return all.map((g) => parseInt(g || '0', 16))
}
