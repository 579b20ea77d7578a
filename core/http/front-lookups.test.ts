import { describe, expect, it } from 'vitest'
import type { FrontLookup } from './front-protocol.ts'
import { createFrontLookups } from './front-lookups.ts'
import type { ServedFunction } from './served-functions.ts'

const fnAt = (version: number) => ({ id: 'f', version }) as unknown as ServedFunction

/** A front's lookups against a host that answers when the test says so. */
function harness() {
  let clock = 1000
  const asked: { id: number; lookup: FrontLookup }[] = []
  const lookups = createFrontLookups((id, lookup) => asked.push({ id, lookup }), 5000, () => clock)
  const answer = (version: number) => {
    const { id } = asked.shift()!
    lookups.reply(id, { value: { fn: fnAt(version) } })
  }
  return { lookups, asked, answer, advance: (ms: number) => (clock += ms) }
}

/** A harness whose entry for 'f' (version 1) has expired, with its refresh asked and unanswered. */
async function refreshing() {
  const h = harness()
  const first = h.lookups.served.get('f')
  h.answer(1)
  await first
  h.advance(6000)
  void h.lookups.served.get('f')
  return h
}

/** Lets answered lookups run their callbacks. */
const settled = () => new Promise((resolve) => setImmediate(resolve))
const versionOf = async (value: Promise<ServedFunction | null>) => (await value)?.version

describe('worker front lookups', () => {
  it('asks once while fresh, then serves the old answer while one refresh asks again', async () => {
    const { lookups, asked, answer, advance } = harness()
    const first = lookups.served.get('f')
    expect(asked).toHaveLength(1)
    answer(1)
    expect(await versionOf(first)).toBe(1)
    expect(await versionOf(lookups.served.get('f'))).toBe(1)
    expect(asked).toHaveLength(0)

    advance(6000)
    // Expired: nobody waits for the host, and only one refresh goes out however many requests come.
    expect(await versionOf(lookups.served.get('f'))).toBe(1)
    expect(await versionOf(lookups.served.get('f'))).toBe(1)
    expect(asked).toHaveLength(1)
    answer(2)
    await settled()
    expect(await versionOf(lookups.served.get('f'))).toBe(2)
    expect(asked).toHaveLength(0)
  })

  it('never serves a stale answer after an invalidation, nor keeps a refresh that raced one', async () => {
    const { lookups, asked, answer } = await refreshing()
    lookups.invalidate('f')
    // After the invalidation a request waits for a new answer instead of getting version 1.
    const after = lookups.served.get('f')
    expect(asked).toHaveLength(2)
    answer(2) // the refresh that raced the invalidation: not kept
    answer(3)
    expect(await versionOf(after)).toBe(3)
    expect(await versionOf(lookups.served.get('f'))).toBe(3)
    expect(asked).toHaveLength(0)
  })

  it('keeps serving the old answer when a refresh fails, and tries again on the next request', async () => {
    const { lookups, asked, answer } = await refreshing()
    const { id } = asked.shift()!
    lookups.reply(id, { error: { code: 'unavailable', message: 'host busy' } })
    await settled()
    expect(await versionOf(lookups.served.get('f'))).toBe(1)
    expect(asked).toHaveLength(1)
    answer(2)
    await settled()
    expect(await versionOf(lookups.served.get('f'))).toBe(2)
  })
})
