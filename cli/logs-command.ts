import { parseArgs } from 'node:util'
import { AppError, isAppError } from '../common/errors.ts'
import type { InvocationSummary, LogPage, LogQuery } from '../common/model/invocation-log.ts'
import { OUTCOME_KINDS, type OutcomeKind } from '../common/model/outcome.ts'
import type { Store } from '../core/store/repos.ts'
import type { RemoteClient } from '../core/sync/remote-client.ts'
import { remoteLogQuery } from '../core/sync/remote-log-query.ts'
import { createSync } from '../core/sync/sync-service.ts'
import { cliMain, UsageError, type Output } from './cli-main.ts'
import { dataDirFrom, findLocalFunction, openLocalStore } from './local-data.ts'
import { clientFor, configuredServerId, explicitServer } from './server-target.ts'

export const LOGS_USAGE = `Usage: edgepad logs <function> [options]

Prints a function's invocation log, oldest first.

  <function>   With --remote and --server <url>: the remote function's name or id.
               Otherwise a function in the IDE's data dir (with --remote: the server it was
               published to).

Options:
      --remote             The server's log instead of the local one
  -f, --follow             Keep printing new invocations (Ctrl+C to stop)
  -n, --limit <n>          How many recent invocations to print first (default 20)
      --outcome <a,b>      Only these outcomes (ok, runtime_error, timeout, ...)
      --interval <ms>      Polling interval with --follow (default 1000)
      --server <url|name>  Server URL (with --token), or a server configured in the IDE
      --token <token>      API token (or EDGEPAD_TOKEN; the URL may come from EDGEPAD_SERVER)
      --data-dir <dir>     The IDE's data dir (default EDGEPAD_IDE_DATA or ~/.edgepad/ide)
      --json               One JSON object per line
  -h, --help               Show this help`

type Query = Omit<LogQuery, 'functionId'>
type PageSource = (query: Query) => Promise<LogPage>

export function logsCommand(argv: string[], out: Output, err: Output, signal?: AbortSignal): Promise<number> {
  return cliMain('logs', LOGS_USAGE, err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        remote: { type: 'boolean' },
        follow: { type: 'boolean', short: 'f' },
        limit: { type: 'string', short: 'n', default: '20' },
        outcome: { type: 'string' },
        interval: { type: 'string', default: '1000' },
        server: { type: 'string' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      out.write(LOGS_USAGE + '\n')
      return 0
    }
    if (positionals.length !== 1) throw new UsageError(`expected one function, got ${positionals.length}`)
    const limit = Number(values.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be 1-500')
    const interval = Number(values.interval)
    if (!Number.isFinite(interval) || interval < 100) throw new UsageError('--interval must be at least 100 ms')
    const outcomes = values.outcome?.split(',').filter(Boolean)
    const bad = outcomes?.filter((o) => !OUTCOME_KINDS.includes(o as OutcomeKind))
    if (bad?.length) throw new UsageError(`unknown outcome ${bad.join(', ')} (known: ${OUTCOME_KINDS.join(', ')})`)
    const filter: Partial<Query> = outcomes ? { outcomes: outcomes as OutcomeKind[] } : {}

    const { source, close } = await openSource(positionals[0]!, values)
    try {
      const print = (item: InvocationSummary) => out.write(values.json ? JSON.stringify(item) + '\n' : formatLine(item))
      const first = await source({ ...filter, limit })
      const seen = new Set(first.items.map((i) => i.id))
      let since = first.items[0]?.startedAt ?? 0
      for (const item of [...first.items].reverse()) print(item)
      while (values.follow && !signal?.aborted) {
        await sleep(interval, signal)
        if (signal?.aborted) break
        const fresh = await source({ ...filter, from: since, limit: 500 }).catch((error: unknown) => {
          // A server restarting mid-follow is not the end of the follow.
          if (isAppError(error) && error.code === 'unavailable') return { items: [], nextCursor: null }
          throw error
        })
        for (const item of [...fresh.items].reverse()) {
          if (seen.has(item.id)) continue
          seen.add(item.id)
          since = Math.max(since, item.startedAt)
          print(item)
        }
      }
      return 0
    } finally {
      await close()
    }
  })
}

async function openSource(
  name: string,
  flags: { remote?: boolean | undefined; server?: string | undefined; token?: string | undefined; 'data-dir'?: string | undefined },
): Promise<{ source: PageSource; close: () => Promise<void> }> {
  const explicit = flags.remote ? explicitServer(flags) : null
  if (explicit) {
    const client = clientFor(explicit)
    const remoteId = await findRemote(client, name)
    return { source: async (query) => client.logs(remoteId, remoteLogQuery(query)), close: async () => {} }
  }
  const store = await openLocalStore(dataDirFrom(flags['data-dir']))
  try {
    const fn = await findLocalFunction(store, name)
    if (!flags.remote) return { source: (query) => store.invocations.query({ ...query, functionId: fn.id }), close: () => store.close() }
    const serverId = await remoteServerFor(store, fn.id, flags)
    const { service } = createSync({ store, emit: () => {} })
    return { source: (query) => service.remoteLogs({ ...query, functionId: fn.id, serverId }), close: () => store.close() }
  } catch (error) {
    await store.close()
    throw error
  }
}

async function remoteServerFor(store: Store, functionId: string, flags: { server?: string | undefined }): Promise<string> {
  if (flags.server ?? process.env.EDGEPAD_SERVER) {
    const id = await configuredServerId(store, flags)
    if (id) return id
  }
  const link = (await store.sync.listLinks(functionId))[0]
  if (!link) throw new AppError('not_found', 'This function has not been published; publish it first or pass --server <url> --token <token> and the remote name')
  return link.serverId
}

async function findRemote(client: RemoteClient, nameOrId: string): Promise<string> {
  const byName = await client.findByName(nameOrId).catch(() => null)
  if (byName) return byName.id
  return (await client.getFunction(nameOrId)).id
}

function formatLine(item: InvocationSummary): string {
  const time = new Date(item.startedAt).toISOString()
  const error = item.errorMessage ? `  ${item.errorMessage}` : ''
  return `${time}  ${item.status}  ${item.outcome.padEnd(12)}  ${item.method.padEnd(6)} ${item.path}  ${item.wallMs.toFixed(1)} ms  v${item.version} ${item.trigger}${error}\n`
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
