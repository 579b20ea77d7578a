import { cpus } from 'node:os'

/**
 * When the log indexer lets a backlog wait. Idle CPU priority alone does not keep indexing off a
 * busy machine: on SMT cores and on virtual machines, work on a sibling that would otherwise idle
 * slows the serving one (a SCHED_IDLE busy loop cost a 2-vCPU server 10-23% of its hello
 * throughput). So while no whole core is left free by everything else, the journals take the
 * burst, which they hold on disk, and the rows are indexed when a core frees up: at most
 * `maxWaitMs` later, or sooner once the backlog reaches `maxWaitBytes`.
 */
export interface IndexGateOptions {
  /** The longest a backlog waits for a free core; 0: never wait (index whenever the indexer gets CPU). */
  maxWaitMs: number
  /** A backlog this large is indexed whatever the load (keep it well below where the worker fronts pause). */
  maxWaitBytes: number
  /** Cores the rest of the machine must leave idle for indexing to run beside it. */
  freeCores: number
}

/** Half a minute of lag at most; a quarter of the worker fronts' default pause point (1 GiB). */
export const DEFAULT_INDEX_GATE: IndexGateOptions = { maxWaitMs: 30_000, maxWaitBytes: 256 * 1024 * 1024, freeCores: 1 }

/** A backlog this small is indexed at once: one transaction or so, a few ms (a single test invocation never waits). */
export const SMALL_BACKLOG_BYTES = 256 * 1024
/** How often the machine's CPU is read: 10 ms ticks over this window on each core. */
const SAMPLE_MS = 250

export interface CpuTimes {
  /** Cores counted. */
  cores: number
  /** CPU time every core spent busy since boot, ms. */
  busyMs: number
  /** CPU time this process spent, ms (its own indexing does not make the machine busy). */
  ownMs: number
}

export function readCpuTimes(): CpuTimes {
  let busyMs = 0
  const all = cpus()
  for (const { times } of all) busyMs += times.user + times.nice + times.sys + times.irq
  const own = process.cpuUsage()
  return { cores: all.length, busyMs, ownMs: (own.user + own.system) / 1000 }
}

export interface IndexGate {
  /** Whether to index now, with `backlogBytes` journaled and not yet indexed. */
  mayIndex(backlogBytes: number): boolean
  /** Whether other background work (a log retention pass), due since `since` (ms), may run now. */
  mayRun(since: number): boolean
}

export function createIndexGate(options: IndexGateOptions, now: () => number = Date.now, readCpu: () => CpuTimes = readCpuTimes): IndexGate {
  let last: (CpuTimes & { at: number }) | null = null
  /** Cores the rest of the machine left idle over the last window; unknown (Infinity) until there is one. */
  let free = Infinity
  let waitingSince: number | null = null

  const sample = (at: number) => {
    if (last && at - last.at < SAMPLE_MS) return
    const cpu = readCpu()
    if (last && cpu.cores > 0 && cpu.cores === last.cores) {
      const othersMs = Math.max(0, cpu.busyMs - last.busyMs - (cpu.ownMs - last.ownMs))
      free = cpu.cores - othersMs / (at - last.at)
    } else free = Infinity
    last = { ...cpu, at }
  }

  const waited = (since: number, at: number) => free >= options.freeCores || at - since >= options.maxWaitMs

  return {
    mayIndex(backlogBytes) {
      if (options.maxWaitMs <= 0) return true
      // Sampled whatever the backlog, so a burst is judged on the last window, not on one since the last burst.
      const at = now()
      sample(at)
      if (backlogBytes <= SMALL_BACKLOG_BYTES) {
        waitingSince = null
        return true
      }
      waitingSince ??= at
      return waited(waitingSince, at) || backlogBytes >= options.maxWaitBytes
    },
    mayRun(since) {
      if (options.maxWaitMs <= 0) return true
      const at = now()
      sample(at)
      return waited(since, at)
    },
  }
}
