import { readFileSync, readdirSync } from 'node:fs'

const TICKS_PER_SECOND = 100

/** CPU seconds (user+system) and resident bytes of a process and all its descendants, from /proc. */
export function treeStats(rootPid: number): { cpuSeconds: number; rssBytes: number } {
  return treesStats([rootPid])
}

/** The same summed over several process trees, with one scan of /proc. */
export function treesStats(rootPids: readonly number[]): { cpuSeconds: number; rssBytes: number } {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const ppid = Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      // The process ended while we looked.
    }
  }
  let cpuSeconds = 0
  let rssBytes = 0
  const seen = new Set<number>()
  const visit = (pid: number) => {
    if (seen.has(pid)) return
    seen.add(pid)
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      cpuSeconds += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
      rssBytes += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
    } catch {
      return
    }
    for (const child of children.get(pid) ?? []) visit(child)
  }
  for (const pid of rootPids) visit(pid)
  return { cpuSeconds, rssBytes }
}

/**
 * Waits until the process trees together use less than `maxCpuPercent` of a core over `windowMs`,
 * for at most `timeoutMs`; resolves with the seconds waited. Before a run, so that one system's
 * background work (a log indexer catching up, a retention pass, a collector) does not land in
 * another system's numbers: on this machine even idle-priority work on the other core slows a
 * server under load by 10-40% (measured with a SCHED_IDLE busy loop beside bare Node).
 */
export async function waitForQuiet(rootPids: readonly number[], { maxCpuPercent = 5, windowMs = 500, timeoutMs = 30_000 } = {}): Promise<number> {
  const started = performance.now()
  for (;;) {
    const before = treesStats(rootPids).cpuSeconds
    const t0 = performance.now()
    await new Promise((resolve) => setTimeout(resolve, windowMs))
    const percent = ((treesStats(rootPids).cpuSeconds - before) / ((performance.now() - t0) / 1000)) * 100
    const waited = (performance.now() - started) / 1000
    if (percent < maxCpuPercent || waited * 1000 >= timeoutMs) return waited
  }
}
