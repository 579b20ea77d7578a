import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { connect } from 'node:net'
import type { buildConnector } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WireFetchRequest } from '../guest/wire.ts'
import { HostFetcher } from '../host-fetch.ts'
import { startDnsServer } from './dns-test-server.test-helper.ts'
import { pinnedLookup, type EgressPolicy } from './egress-policy.ts'

/** Public-looking names for the test DNS; the stub transport routes their addresses to local servers. */
const PUBLIC_A = '93.184.216.34'
const PUBLIC_B = '93.184.216.35'

let dns: Awaited<ReturnType<typeof startDnsServer>>
let upstream: Server
let upstreamPort = 0
const seen: { host?: string; url?: string; headers: IncomingHttpHeaders }[] = []
const connectedTo: string[] = []

function request(url: string, extra: Partial<WireFetchRequest> = {}): WireFetchRequest {
  return { url, method: 'GET', headers: [], body: null, redirect: 'follow', ...extra }
}

/**
 * Recording stub transport: resolves and checks with the real pinned lookup, records the address it
 * would connect to, then connects to the local upstream instead, so nothing ever leaves the machine.
 */
function recordingConnector(policy: EgressPolicy): buildConnector.connector {
  const lookup = pinnedLookup(policy)
  return (options, callback) => {
    lookup(options.hostname, {}, (error, address) => {
      if (error) return callback(error, null)
      connectedTo.push(String(address))
      const socket = connect(upstreamPort, '127.0.0.1')
      socket.once('connect', () => callback(null, socket))
      socket.once('error', (err) => callback(err, null))
    })
  }
}

beforeAll(async () => {
  dns = await startDnsServer((name, type, count) => {
    if (type === 'AAAA') return name === 'v6-internal.test' ? ['::1'] : []
    switch (name) {
      case 'a.test':
        return [PUBLIC_A]
      case 'b.test':
        return [PUBLIC_B]
      case 'internal.test':
        return ['127.0.0.1']
      case 'metadata.test':
        return ['169.254.169.254']
      case 'mixed.test':
        return [PUBLIC_A, '10.0.0.1']
      case 'rebind.test':
        return count === 1 ? [PUBLIC_A] : ['127.0.0.1']
      default:
        return []
    }
  })
  upstream = createServer((req, res) => {
    seen.push({ host: req.headers.host, url: req.url, headers: req.headers })
    const host = req.headers.host ?? ''
    if (req.url === '/to-internal') return res.writeHead(302, { location: 'http://internal.test/secret' }).end()
    if (req.url === '/to-literal') return res.writeHead(307, { location: `http://127.0.0.1:${upstreamPort}/secret` }).end()
    if (req.url === '/to-b') return res.writeHead(302, { location: 'http://b.test/landed' }).end()
    if (req.url === '/same-origin') return res.writeHead(301, { location: '/landed' }).end()
    if (req.url === '/post-303') return res.writeHead(303, { location: '/landed' }).end()
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end()
    if (req.url === '/big') return res.end(Buffer.alloc(2048, 'x'))
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ host, url: req.url, method: req.method }))
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  upstreamPort = (upstream.address() as { port: number }).port
})

afterAll(async () => {
  await dns.close()
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

const serverPolicy = (): EgressPolicy => ({ allowPrivateNetworks: false, dnsServers: [dns.address] })
const signal = () => AbortSignal.timeout(5000)

describe('egress policy (server mode)', () => {
  it('refuses loopback, private and metadata destinations in every spelling, without connecting', async () => {
    const fetcher = new HostFetcher(serverPolicy())
    const before = seen.length
    const urls = [
      `http://127.0.0.1:${upstreamPort}/`,
      `http://2130706433:${upstreamPort}/`,
      `http://0177.0.0.1:${upstreamPort}/`,
      `http://0x7f.1:${upstreamPort}/`,
      `http://127.1:${upstreamPort}/`,
      `http://[::1]:${upstreamPort}/`,
      `http://[::ffff:127.0.0.1]:${upstreamPort}/`,
      `http://[::ffff:7f00:1]:${upstreamPort}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.1/',
      'http://100.64.1.1/',
    ]
    for (const url of urls) {
      await expect(fetcher.fetch(request(url), signal()), url).rejects.toThrow(/refused to connect to .*: it is a/)
    }
    expect(seen.length).toBe(before)
    await fetcher.close()
  })

  it('resolves names itself and refuses when any answer is private (trailing dots too)', async () => {
    const fetcher = new HostFetcher(serverPolicy(), undefined, recordingConnector(serverPolicy()))
    await expect(fetcher.fetch(request('http://internal.test/'), signal())).rejects.toThrow(/resolves to 127\.0\.0\.1, a loopback address/)
    await expect(fetcher.fetch(request('http://internal.test./'), signal())).rejects.toThrow(/127\.0\.0\.1/)
    await expect(fetcher.fetch(request('http://metadata.test/'), signal())).rejects.toThrow(/169\.254\.169\.254, a link-local address/)
    await expect(fetcher.fetch(request('http://mixed.test/'), signal())).rejects.toThrow(/10\.0\.0\.1, a private address/)
    await expect(fetcher.fetch(request('http://v6-internal.test/'), signal())).rejects.toThrow(/::1, a loopback address/)
    await expect(fetcher.fetch(request('http://nowhere.test/'), signal())).rejects.toThrow(/could not resolve nowhere\.test/)
    await fetcher.close()
  })

  it('connects to the address it checked: a rebinding answer is never used', async () => {
    const lookup = pinnedLookup(serverPolicy())
    const first = await new Promise<unknown>((resolve) => lookup('rebind.test', {}, (error, address) => resolve(error ?? address)))
    expect(first).toBe(PUBLIC_A)
    const second = await new Promise<unknown>((resolve) => lookup('rebind.test', {}, (error, address) => resolve(error ?? address)))
    expect(String(second)).toMatch(/resolves to 127\.0\.0\.1/)
  })

  it('allows public destinations, with the Host header of the name', async () => {
    connectedTo.length = 0
    const fetcher = new HostFetcher(serverPolicy(), undefined, recordingConnector(serverPolicy()))
    const response = await fetcher.fetch(request('http://a.test/hello?x=1'), signal())
    expect(response.status).toBe(200)
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ host: 'a.test', url: '/hello?x=1', method: 'GET' })
    expect(connectedTo).toEqual([PUBLIC_A])
    await fetcher.close()
  })

  it('checks every redirect hop again and drops credentials across origins', async () => {
    connectedTo.length = 0
    const fetcher = new HostFetcher(serverPolicy(), undefined, recordingConnector(serverPolicy()))
    await expect(fetcher.fetch(request('http://a.test/to-internal'), signal())).rejects.toThrow(/internal\.test: it resolves to 127\.0\.0\.1/)
    await expect(fetcher.fetch(request('http://a.test/to-literal'), signal())).rejects.toThrow(/refused to connect to 127\.0\.0\.1/)
    const auth: [string, string][] = [['authorization', 'Bearer secret'], ['cookie', 'sid=1'], ['x-keep', 'yes']]
    seen.length = 0
    const cross = await fetcher.fetch(request('http://a.test/to-b', { headers: auth }), signal())
    expect(cross.redirected).toBe(true)
    expect(cross.url).toBe('http://b.test/landed')
    const landed = seen.at(-1)!
    expect(landed.host).toBe('b.test')
    expect(landed.headers.authorization).toBeUndefined()
    expect(landed.headers.cookie).toBeUndefined()
    expect(landed.headers['x-keep']).toBe('yes')
    const same = await fetcher.fetch(request('http://a.test/same-origin', { headers: auth }), signal())
    expect(same.url).toBe('http://a.test/landed')
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer secret')
    const post = await fetcher.fetch(request('http://a.test/post-303', { method: 'POST', body: new TextEncoder().encode('x') }), signal())
    expect(JSON.parse(new TextDecoder().decode(post.body)).method).toBe('GET')
    await expect(fetcher.fetch(request('http://a.test/loop'), signal())).rejects.toThrow(/too many redirects/)
    const manual = await fetcher.fetch(request('http://a.test/to-b', { redirect: 'manual' }), signal())
    expect(manual.status).toBe(302)
    await expect(fetcher.fetch(request('http://a.test/to-b', { redirect: 'error' }), signal())).rejects.toThrow(/redirect mode is "error"/)
    await fetcher.close()
  })

  it('caps the response body and refuses hostile arguments cleanly', async () => {
    const fetcher = new HostFetcher(serverPolicy(), { maxSubrequests: 50, maxConcurrent: 6, maxResponseBytes: 1024, maxRequestBytes: 1024, maxRedirects: 20 }, recordingConnector(serverPolicy()))
    await expect(fetcher.fetch(request('http://a.test/big'), signal())).rejects.toThrow(/larger than 1024 bytes/)
    await expect(fetcher.fetch({ ...request('http://a.test/'), url: 42 as never }, signal())).rejects.toThrow(/needs a URL string/)
    await expect(fetcher.fetch(request('file:///etc/passwd'), signal())).rejects.toThrow(/only supports http: and https:/)
    await expect(fetcher.fetch(request('http://user:pw@a.test/'), signal())).rejects.toThrow(/credentials embedded in the URL/)
    await expect(fetcher.fetch({ ...request('http://a.test/'), headers: [['x', {}]] as never }, signal())).rejects.toThrow(/invalid request header/)
    await expect(fetcher.fetch(request('http://a.test/', { headers: [['x-big', 'y'.repeat(2000)]] }), signal())).rejects.toThrow(/headers are too large/)
    await expect(fetcher.fetch(request('http://a.test/', { method: 'POST', body: new Uint8Array(2000) }), signal())).rejects.toThrow(/request body is larger/)
    await fetcher.close()
  })
})

describe('egress policy (desktop mode)', () => {
  it('allows the local network', async () => {
    const fetcher = new HostFetcher({ allowPrivateNetworks: true })
    const response = await fetcher.fetch(request(`http://127.0.0.1:${upstreamPort}/local`), signal())
    expect(response.status).toBe(200)
    await fetcher.close()
  })
})
