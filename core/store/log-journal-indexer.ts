import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { setPriority } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { journalBodyBytes } from './body-prefix.ts'
import { DEFAULT_INDEX_GATE, type IndexGateOptions } from './index-gate.ts'
import type { RedactionRules } from './invocation-row.ts'
import { isJournalName, journalName, seriesOf } from './log-journal.ts'
import type { FromIndexer, IndexerStart, ToIndexer } from './log-journal-protocol.ts'
import type { Durability } from './sqlite-database.ts'

export interface LogJournals {
  /** The path a new worker writes its journal to (log-journal-writer.ts); the indexer follows it from now on. */
  newJournal(): string
  /** The worker writing the journal `newJournal` gave is gone: its last file is read to its end and closed out. */
  writerGone(file: string): void
  /** Resolves once every row written to any journal before the call is committed. */
  flush(): Promise<void>
  /** Journal bytes written and not yet committed (what the worker fronts' backpressure watches). */
  backlogBytes(): number
  /** Indexes everything left, then stops. Call once the writers are gone. */
  close(): Promise<void>
  /** The indexer process's id (it is replaced if it dies). */
  readonly pid: number | undefined
  /** How much of a body a writer should journal (createLogJournalWriter's `bodyBytes`): all the log can store of it. */
  readonly bodyBytes: number
}

export interface LogJournalsOptions {
  dir: string
  dbFile: string
  durability: Durability
  bodyCapBytes: number
  rulesFor: (functionIds: Iterable<string>) => Map<string, RedactionRules>
  onError: (error: unknown) => void
  /** Rows per transaction (default 500). */
  maxRows?: number
  /** How often the indexer looks for new frames (default 20 ms). */
  pollMs?: number
  /** How long a backlog may wait for a free core while the machine is busy (default DEFAULT_INDEX_GATE). */
  gate?: IndexGateOptions
  /** The Node binary the indexer runs on (default: this process's). */
  nodePath?: string
  /** Background log retention, run by the indexer (at its priority) rather than the host. */
  retention?: IndexerStart['retention']
}

const RESTART_DELAY_MS = 100
const ENTRY = fileURLToPath(new URL('./log-journal-indexer-main.ts', import.meta.url))
/** util-linux's chrt: SCHED_IDLE is set at exec, so every thread of the indexer (its GC too) inherits it. */
const CHRT = ['/usr/bin/chrt', '/bin/chrt'].find((path) => existsSync(path)) ?? null

/**
 * The host's side of the workers' log journals: names their files, runs the indexer process (see
 * log-journal-indexer-main.ts) at idle CPU priority (SCHED_IDLE: it runs only on cores nothing
 * else wants; a burst's backlog also waits for a whole free core, see index-gate.ts) and
 * replaces it if it dies (the new one resumes from the progress saved with the rows), answers
 * its redaction-rule lookups, and tells how far behind it is.
 */
export function createLogJournals(options: LogJournalsOptions): LogJournals {
  mkdirSync(options.dir, { recursive: true, mode: 0o700 })
  // Everything here now was written by workers of an earlier run: none of them writes any more.
  const orphans = readdirSync(options.dir).filter(isJournalName)
  const live = new Set<string>()
  const committed = new Map<string, number>()
  const flushes = new Map<number, () => void>()
  let nextSeq = 1
  let closed: Promise<void> | null = null
  let onClosed: (() => void) | null = null
  let child: ChildProcess
  const post = (message: ToIndexer) => {
    if (child.connected) child.send(message)
  }

  const onMessage = (message: FromIndexer) => {
    switch (message.type) {
      case 'rules': {
        let reply: ToIndexer
        try {
          reply = { type: 'rules', id: message.id, rules: [...options.rulesFor(message.functionIds)] }
        } catch (error) {
          reply = { type: 'rules', id: message.id, error: (error as Error).message }
        }
        post(reply)
        return
      }
      case 'indexed':
        committed.set(message.name, message.offset)
        return
      case 'flushed':
        flushes.get(message.seq)?.()
        flushes.delete(message.seq)
        return
      case 'error':
        return options.onError(new Error(`[log journal] ${message.message}`))
      case 'closed':
        return onClosed?.()
    }
  }

  const start = (orphaned: string[], following: string[]) => {
    const data: IndexerStart = {
      dbFile: options.dbFile,
      durability: options.durability,
      dir: options.dir,
      bodyCapBytes: options.bodyCapBytes,
      maxRows: options.maxRows ?? 500,
      pollMs: options.pollMs ?? 20,
      gate: options.gate ?? DEFAULT_INDEX_GATE,
      ...(options.retention ? { retention: options.retention } : {}),
    }
    const node = options.nodePath ?? process.execPath
    // Its own collector thread competes with nobody: one GC thread, at its priority.
    const nodeArgs = ['--single-threaded-gc']
    child = fork(ENTRY, [JSON.stringify(data)], {
      ...(CHRT ? { execPath: CHRT, execArgv: ['--idle', '0', node, ...nodeArgs] } : { execPath: node, execArgv: nodeArgs }),
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    // Without chrt, the lowest nice value (for its main thread: Linux sets it per thread).
    if (!CHRT && child.pid) {
      try {
        setPriority(child.pid, 19)
      } catch (error) {
        options.onError(error)
      }
    }
    child.on('message', onMessage)
    child.on('error', (error) => options.onError(error))
    // Queued until the indexer listens; a journal is open before its writer is said to be gone.
    for (const name of orphaned) {
      post({ type: 'open', name })
      post({ type: 'gone', name })
    }
    for (const name of following) post({ type: 'open', name })
    const self = child
    child.on('exit', (code, signal) => {
      if (child !== self) return
      if (closed) return onClosed?.()
      options.onError(new Error(`The log journal indexer exited (${signal ?? `code ${code}`}); restarting it`))
      setTimeout(() => {
        // The new one resumes every journal from its saved progress; the files of a live
        // worker's series stay live (those it rotated away from end at their marker).
        const files = readdirSync(options.dir).filter(isJournalName)
        const liveSeries = new Set([...live].map(seriesOf))
        start(files.filter((name) => !liveSeries.has(seriesOf(name))), files.filter((name) => liveSeries.has(seriesOf(name))))
        for (const seq of flushes.keys()) post({ type: 'flush', seq })
      }, RESTART_DELAY_MS).unref()
    })
    keepAlive(false)
  }
  /** The indexer must not keep the host alive, except while it finishes on `close`. */
  const keepAlive = (on: boolean) => {
    const channel = (child as unknown as { channel?: { ref(): void; unref(): void } }).channel
    if (on) {
      child.ref()
      channel?.ref()
    } else {
      child.unref()
      channel?.unref()
    }
  }
  start(orphans, [])

  return {
    bodyBytes: journalBodyBytes(options.bodyCapBytes),
    newJournal() {
      const name = journalName(`${Date.now()}-${randomBytes(6).toString('hex')}`, 1)
      // Created here, so the indexer can open it before the worker has written anything.
      writeFileSync(join(options.dir, name), '', { flag: 'wx', mode: 0o600 })
      live.add(name)
      post({ type: 'open', name })
      return join(options.dir, name)
    },
    writerGone(file) {
      const name = file.slice(options.dir.length + 1)
      if (!live.delete(name)) return
      post({ type: 'gone', name })
    },
    flush() {
      if (closed) return closed
      return new Promise((resolve) => {
        const seq = nextSeq++
        flushes.set(seq, resolve)
        post({ type: 'flush', seq })
      })
    },
    backlogBytes() {
      let bytes = 0
      const present = new Set(readdirSync(options.dir).filter(isJournalName))
      for (const name of present) {
        try {
          bytes += Math.max(0, statSync(join(options.dir, name)).size - (committed.get(name) ?? 0))
        } catch {
          // Removed while we looked: read whole.
        }
      }
      for (const name of committed.keys()) if (!present.has(name)) committed.delete(name)
      return bytes
    },
    get pid() {
      return child.pid
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const name of live) post({ type: 'gone', name })
        live.clear()
        keepAlive(true)
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000).unref()
        onClosed = () => {
          clearTimeout(timer)
          onClosed = null
          for (const done of flushes.values()) done()
          if (child.exitCode !== null || child.signalCode !== null) return resolve()
          child.once('exit', () => resolve())
        }
        if (child.exitCode !== null || child.signalCode !== null) return onClosed()
        post({ type: 'close' })
      })
      return closed
    },
  }
}
