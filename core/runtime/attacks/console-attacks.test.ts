import { describe, expect, it } from 'vitest'
import { LINE_TRUNCATED } from '../../../common/model/invocation.ts'
import { CONSOLE_LIMITS } from '../invocation-record.ts'
import { useAttackRuntime } from './attack.test-helper.ts'

const { attack } = useAttackRuntime()

describe('console cannot flood, hang or forge', () => {
  it('caps lines per invocation with a truncation marker', async () => {
    const result = await attack(`export default () => { for (let i = 0; i < 5000; i++) console.log('line', i); return 'ok' }`, 'ok')
    expect(result.console).toHaveLength(CONSOLE_LIMITS.lines + 1)
    expect(result.console.at(-1)).toMatchObject({ level: 'warn', message: expect.stringMatching(/console output truncated/) })
  })

  it('caps bytes per invocation and per line', async () => {
    const result = await attack(`export default () => { for (let i = 0; i < 200; i++) console.log('x'.repeat(100000)); return 'ok' }`, 'ok')
    const total = result.console.reduce((n, line) => n + line.message.length, 0)
    expect(total).toBeLessThan(CONSOLE_LIMITS.bytes + 64 * 1024)
    expect(result.console.at(-1)!.message).toMatch(/truncated/)
    // The log's redaction recognises a cut line by this marker (it may have cut a secret in two).
    expect(result.console[0]!.message).toBe('x'.repeat(CONSOLE_LIMITS.lineBytes) + LINE_TRUNCATED)
  })

  it('formatting never runs getters, and a hostile Proxy cannot hang the host', async () => {
    const getter = await attack(`export default () => { console.log({ get boom() { for (;;) {} } }); return 'ok' }`, 'ok')
    expect(getter.console[0]!.message).toBe('{ boom: [Getter] }')
    await attack(`export default () => { console.log(new Proxy({}, { ownKeys() { for (;;) {} } })); return 'ok' }`, 'timeout')
  })

  it('newlines and control characters are escaped, so no line can pose as another entry or level', async () => {
    const result = await attack(`export default () => { console.log('real\\n[error] forged entry\\r\\u001b[31mred\\u0000'); return 'ok' }`, 'ok')
    expect(result.console).toHaveLength(1)
    expect(result.console[0]).toMatchObject({ level: 'log', message: 'real\\n[error] forged entry\\r\\u001b[31mred\\u0000' })
  })
})
