import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadConfig } from './config.ts'

describe('server config', () => {
  it('has embedded defaults', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: path.resolve('data'), adminToken: null, maxBodyBytes: 1024 * 1024 })
    expect(config.keyFile).toBe(path.resolve('data', 'secret-keys.json'))
    expect(config.allowPrivateNetworks).toBe(false)
  })

  it('lets an operator on a private network allow fetch to reach it', () => {
    expect(loadConfig({ EDGEPAD_ALLOW_PRIVATE_NETWORKS: 'true' }).allowPrivateNetworks).toBe(true)
    expect(() => loadConfig({ EDGEPAD_ALLOW_PRIVATE_NETWORKS: 'sometimes' })).toThrow(/EDGEPAD_ALLOW_PRIVATE_NETWORKS/)
  })

  it('lets a burst of log rows wait up to 30 s for a free core, or not at all', () => {
    expect(loadConfig({}).logIndexWaitMs).toBe(30_000)
    expect(loadConfig({ EDGEPAD_LOG_INDEX_WAIT_S: '0' }).logIndexWaitMs).toBe(0)
    expect(() => loadConfig({ EDGEPAD_LOG_INDEX_WAIT_S: '-1' })).toThrow(/EDGEPAD_LOG_INDEX_WAIT_S/)
    expect(() => loadConfig({ EDGEPAD_LOG_INDEX_WAIT_S: '5000' })).toThrow(/EDGEPAD_LOG_INDEX_WAIT_S/)
  })

  it('parses and names every bad variable', () => {
    expect(loadConfig({ EDGEPAD_PORT: '9000', EDGEPAD_DNS_SERVERS: '127.0.0.1:5353, 1.1.1.1', EDGEPAD_TRUST_PROXY: 'true', EDGEPAD_PORT_UNUSED: '' })).toMatchObject({
      port: 9000,
      dnsServers: ['127.0.0.1:5353', '1.1.1.1'],
      trustProxy: true,
    })
    try {
      loadConfig({ EDGEPAD_PORT: '70000', EDGEPAD_ADMIN_TOKEN: 'short', EDGEPAD_BASE_DOMAIN: 'not a domain' })
      expect.unreachable()
    } catch (error) {
      const paths = (error as { details: { path: string }[] }).details.map((d) => d.path)
      expect(paths).toEqual(expect.arrayContaining(['EDGEPAD_PORT', 'EDGEPAD_ADMIN_TOKEN', 'EDGEPAD_BASE_DOMAIN']))
    }
  })
})
