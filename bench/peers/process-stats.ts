import { readFileSync, readdirSync } from 'node:fs'

/** CPU seconds (user+system) and resident bytes of a process and all its descendants, from /proc. */
export function treeStats(rootPid: number): { cpuSeconds: number; rssBytes: number } {
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
  const ticks = 100
  let cpuSeconds = 0
  let rssBytes = 0
  const visit = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      cpuSeconds += (Number(fields[11]) + Number(fields[12])) / ticks
      rssBytes += Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
    } catch {
      return
    }
    for (const child of children.get(pid) ?? []) visit(child)
  }
  visit(rootPid)
  return { cpuSeconds, rssBytes }
}
