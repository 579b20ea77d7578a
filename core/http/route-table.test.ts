import { describe, expect, it } from 'vitest'
import { buildRouteTable, hostOf } from './route-table.ts'

const table = buildRouteTable([
  { host: 'a.com', path: '/', functionId: 'root' },
  { host: 'a.com', path: '/api', functionId: 'api' },
  { host: 'a.com', path: '/api/v2/', functionId: 'v2' },
  { host: 'b.a.com', path: '/x', functionId: 'bx' },
])

describe('route table', () => {
  it('picks the longest prefix on segment boundaries', () => {
    expect(table.match('a.com', '/')?.functionId).toBe('root')
    expect(table.match('a.com', '/api')?.functionId).toBe('api')
    expect(table.match('a.com', '/api/users')?.functionId).toBe('api')
    expect(table.match('a.com', '/api/v2')?.functionId).toBe('v2')
    expect(table.match('a.com', '/api/v2/z')?.functionId).toBe('v2')
    expect(table.match('a.com', '/apiary')?.functionId).toBe('root')
    expect(table.match('b.a.com', '/y')).toBeNull()
    expect(table.match('c.com', '/')).toBeNull()
  })

  it('finds conflicts on the same host and normalized path, ignoring the function itself', () => {
    expect(table.conflict({ host: 'a.com', path: '/api/', functionId: 'new' })?.functionId).toBe('api')
    expect(table.conflict({ host: 'a.com', path: '/api', functionId: 'api' })).toBeNull()
    expect(table.conflict({ host: 'a.com', path: '/other', functionId: 'new' })).toBeNull()
  })

  it('normalizes Host headers and rejects junk', () => {
    expect(hostOf('A.com:8080')).toBe('a.com')
    expect(hostOf('a.com.')).toBe('a.com')
    expect(hostOf('[::1]:80')).toBeNull()
    expect(hostOf('a com')).toBeNull()
    expect(hostOf(undefined)).toBeNull()
  })
})
