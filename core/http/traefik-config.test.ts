import { describe, expect, it } from 'vitest'
import { traefikConfig } from './traefik-config.ts'

describe('traefik config', () => {
  it('makes one TLS router per domain covering its routed subdomains, all to one service', () => {
    const config = traefikConfig([{ id: 'd1', hostname: 'shop.example.com', hosts: ['shop.example.com', 'api.shop.example.com'] }], {
      upstreamUrl: 'http://127.0.0.1:8787',
      certResolver: 'le',
      entryPoints: ['websecure'],
    })
    expect(config).toEqual({
      http: {
        routers: {
          'edgepad-shop-example-com': {
            rule: 'Host(`api.shop.example.com`) || Host(`shop.example.com`)',
            service: 'edgepad',
            entryPoints: ['websecure'],
            tls: { certResolver: 'le', domains: [{ main: 'shop.example.com', sans: ['api.shop.example.com'] }] },
          },
        },
        services: { edgepad: { loadBalancer: { servers: [{ url: 'http://127.0.0.1:8787' }], passHostHeader: true } } },
      },
    })
  })
})
