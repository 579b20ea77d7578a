import { describe, expect, it } from 'vitest'
import { createIndexGate, readCpuTimes, SMALL_BACKLOG_BYTES, type CpuTimes } from './index-gate.ts'

const BIG = SMALL_BACKLOG_BYTES + 1

/** A 2-core machine whose other processes keep `othersCores` busy, and whose indexer uses `ownCores`. */
function machine() {
  let at = 0
  let busyMs = 0
  let ownMs = 0
  return {
    now: () => at,
    cpu: (): CpuTimes => ({ cores: 2, busyMs, ownMs }),
    run(ms: number, othersCores: number, ownCores = 0) {
      at += ms
      busyMs += ms * (othersCores + ownCores)
      ownMs += ms * ownCores
    },
  }
}

const options = { maxWaitMs: 30_000, maxWaitBytes: 1_000_000, freeCores: 1 }

/** A gate on a fresh machine, past its first reading of it. */
function started() {
  const m = machine()
  const gate = createIndexGate(options, m.now, m.cpu)
  gate.mayIndex(0)
  return { m, gate }
}

describe('index gate', () => {
  it('indexes a small backlog at once, however busy the machine', () => {
    const { m, gate } = started()
    m.run(300, 2)
    expect(gate.mayIndex(SMALL_BACKLOG_BYTES)).toBe(true)
  })

  it('lets a burst wait while no core is free, and indexes it when one frees up', () => {
    const { m, gate } = started()
    m.run(300, 1.3)
    expect(gate.mayIndex(BIG)).toBe(false)
    m.run(300, 0.9)
    expect(gate.mayIndex(BIG)).toBe(true)
  })

  it('does not count its own indexing as the machine being busy', () => {
    const { m, gate } = started()
    m.run(300, 0.5, 1)
    expect(gate.mayIndex(BIG)).toBe(true)
  })

  it('judges on a whole window: a new reading comes only every 250 ms', () => {
    const { m, gate } = started()
    m.run(300, 2)
    expect(gate.mayIndex(BIG)).toBe(false)
    m.run(100, 0)
    expect(gate.mayIndex(BIG)).toBe(false)
    m.run(200, 0)
    expect(gate.mayIndex(BIG)).toBe(true)
  })

  it('waits at most maxWaitMs, and then indexes until the backlog is small again', () => {
    const { m, gate } = started()
    m.run(300, 2)
    expect(gate.mayIndex(BIG)).toBe(false)
    m.run(29_000, 2)
    expect(gate.mayIndex(BIG)).toBe(false)
    m.run(1_000, 2)
    expect(gate.mayIndex(BIG)).toBe(true)
    m.run(300, 2)
    expect(gate.mayIndex(BIG)).toBe(true)
    // Caught up: the next burst waits its own 30 s.
    expect(gate.mayIndex(100)).toBe(true)
    m.run(300, 2)
    expect(gate.mayIndex(BIG)).toBe(false)
  })

  it('indexes a backlog of maxWaitBytes whatever the load', () => {
    const { m, gate } = started()
    m.run(300, 2)
    expect(gate.mayIndex(options.maxWaitBytes - 1)).toBe(false)
    expect(gate.mayIndex(options.maxWaitBytes)).toBe(true)
  })

  it('lets other background work wait the same way, from when it was due', () => {
    const { m, gate } = started()
    const due = m.now()
    m.run(300, 2)
    expect(gate.mayRun(due)).toBe(false)
    m.run(29_700, 2)
    expect(gate.mayRun(due)).toBe(true)
    m.run(300, 2)
    expect(gate.mayRun(m.now())).toBe(false)
    m.run(300, 0.5)
    expect(gate.mayRun(m.now())).toBe(true)
  })

  it('never waits with maxWaitMs 0, nor before it has a reading of the machine', () => {
    const m = machine()
    const off = createIndexGate({ ...options, maxWaitMs: 0 }, m.now, m.cpu)
    const fresh = createIndexGate(options, m.now, m.cpu)
    m.run(300, 2)
    expect(off.mayIndex(BIG)).toBe(true)
    expect(off.mayRun(m.now())).toBe(true)
    expect(fresh.mayIndex(BIG)).toBe(true)
  })

  it('reads this machine: cores, and busy time that grows with work', () => {
    const before = readCpuTimes()
    let x = 0
    const end = Date.now() + 50
    while (Date.now() < end) x += Math.sqrt(x + 1)
    const after = readCpuTimes()
    expect(before.cores).toBeGreaterThan(0)
    expect(after.ownMs).toBeGreaterThan(before.ownMs + 20)
    expect(after.busyMs).toBeGreaterThanOrEqual(before.busyMs)
  })
})
