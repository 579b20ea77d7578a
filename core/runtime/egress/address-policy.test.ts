import { describe, expect, it } from 'vitest'
import { refusalFor } from './address-policy.ts'

describe('refusalFor', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.255.254', /loopback/],
    ['0.0.0.0', /unspecified/],
    ['10.1.2.3', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['169.254.169.254', /link-local.*metadata/],
    ['224.0.0.1', /multicast/],
    ['255.255.255.255', /reserved/],
    ['198.18.0.1', /benchmarking/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['[::1]', /loopback/],
    ['fd00:ec2::254', /unique-local/],
    ['fc00::1', /unique-local/],
    ['fe80::1%eth0', /link-local/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::ffff:7f00:1', /loopback/],
    ['::ffff:a9fe:a9fe', /link-local/],
    ['0:0:0:0:0:ffff:10.0.0.1', /private/],
    ['64:ff9b::a9fe:a9fe', /link-local/],
    ['2002:7f00:1::', /loopback/],
    ['::127.0.0.1', /loopback/],
  ])('refuses %s', (address, reason) => {
    expect(refusalFor(address)).toMatch(reason)
  })

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])('allows %s', (address) => {
    expect(refusalFor(address)).toBeNull()
  })
})
