import { parseArgs } from 'node:util'
import type { PublishResult } from '../common/contracts/sync-contract.ts'
import { envReferences } from '../core/sync/env-references.ts'
import { pushPayload } from '../core/sync/publisher.ts'
import { curlFor, publicUrls } from '../core/sync/public-urls.ts'
import { createSync } from '../core/sync/sync-service.ts'
import { createServerConnections } from '../core/sync/server-connections.ts'
import { cliMain, UsageError, type Output } from './cli-main.ts'
import { isFunctionDir, payloadFromDir } from './function-dir.ts'
import { dataDirFrom, findLocalFunction, openLocalStore } from './local-data.ts'
import { clientFor, configuredServerId, explicitServer } from './server-target.ts'

export const PUBLISH_USAGE = `Usage: edgepad publish <dir | function> [options]

  <dir>        A directory with index.ts / index.js and an optional edgepad.json
               ({ "name", "main", "runtime", "handler", "timeoutMs", "memoryMb", "subdomain",
               "path", "triggerType", "cronSchedule", "description", "env": ["NAME", ...] }).
               The directory is the source of truth: a remote edit is overwritten unless
               --expect-version is given.
  <function>   A function in the IDE's data dir, by name, published like the IDE's Publish
               button (link, conflict check, queue-free).

Options:
      --server <url|name>  Server URL (with --token), or a server configured in the IDE
      --token <token>      API token (or EDGEPAD_TOKEN; the URL may come from EDGEPAD_SERVER)
  -e, --env <NAME[=value]> Send this env var's value (from the environment unless given; repeatable)
      --expect-version <n> Refuse (conflict) unless the remote active version is n
      --overwrite          IDE function: publish over a remote edit instead of failing
      --data-dir <dir>     The IDE's data dir (default EDGEPAD_IDE_DATA or ~/.edgepad/ide)
      --json               Print the result as JSON
  -h, --help               Show this help

Exit code: 0 published or unchanged, 1 conflict or error, 2 bad usage.`

export function publishCommand(argv: string[], out: Output, err: Output): Promise<number> {
  return cliMain('publish', PUBLISH_USAGE, err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        env: { type: 'string', short: 'e', multiple: true },
        'expect-version': { type: 'string' },
        overwrite: { type: 'boolean' },
        'data-dir': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      out.write(PUBLISH_USAGE + '\n')
      return 0
    }
    if (positionals.length !== 1) throw new UsageError(`expected one directory or function name, got ${positionals.length}`)
    const expect = values['expect-version']
    if (expect !== undefined && !/^[1-9]\d*$/.test(expect)) throw new UsageError('--expect-version must be a version number')
    const expectedVersion = expect === undefined ? undefined : Number(expect)
    const target = positionals[0]!
    const result = isFunctionDir(target)
      ? await publishDir(target, values.env ?? [], expectedVersion, values)
      : await publishLocal(target, values.env ?? [], expectedVersion, values)
    out.write(values.json ? JSON.stringify(result, null, 2) + '\n' : describe(result, target))
    return result.status === 'conflict' ? 1 : 0
  })
}

async function publishDir(dir: string, env: string[], expectedVersion: number | undefined, flags: { server?: string | undefined; token?: string | undefined }): Promise<PublishResult> {
  const server = explicitServer(flags)
  if (!server) throw new UsageError('publishing a directory needs --server <url> and --token (or EDGEPAD_SERVER / EDGEPAD_TOKEN)')
  const payload = payloadFromDir(dir, env)
  const client = clientFor(server)
  const outcome = await pushPayload(client, payload, { remoteFunctionId: null, baseline: expectedVersion ?? null, overwrite: expectedVersion === undefined })
  const urls = outcome.remote && outcome.status !== 'conflict' ? await publicUrls(client, outcome.remote) : []
  const remoteNames = outcome.remote?.envVarNames ?? []
  return {
    ...outcome,
    remoteFunctionId: outcome.remote?.id ?? null,
    publicUrls: urls,
    curl: urls[0] ? curlFor(urls[0]) : null,
    queueItem: null,
    envVarsMissingRemotely: envReferences(payload.code).filter((n) => !remoteNames.includes(n) && !(n in payload.envValues)),
  }
}

async function publishLocal(
  name: string,
  env: string[],
  expectedVersion: number | undefined,
  flags: { server?: string | undefined; token?: string | undefined; 'data-dir'?: string | undefined; overwrite?: boolean | undefined },
): Promise<PublishResult> {
  if (env.some((e) => e.includes('='))) throw new UsageError('an IDE function sends its own stored values: pass --env NAME without =value')
  const store = await openLocalStore(dataDirFrom(flags['data-dir']))
  try {
    const fn = await findLocalFunction(store, name)
    let serverId = await configuredServerId(store, flags)
    if (!serverId) {
      const explicit = explicitServer(flags)!
      serverId = (await createServerConnections(store).add({ url: explicit.url, token: explicit.token })).server.id
    }
    const { service } = createSync({ store, emit: () => {} })
    return await service.publish({
      functionId: fn.id,
      serverId,
      sendEnvVars: env,
      onConflict: flags.overwrite ? 'overwrite' : 'cancel',
      queueIfOffline: false,
      ...(expectedVersion !== undefined ? { expectedRemoteVersion: expectedVersion } : {}),
    })
  } finally {
    await store.close()
  }
}

function describe(result: PublishResult, target: string): string {
  const lines: string[] = []
  if (result.status === 'conflict') {
    const c = result.conflict!
    lines.push(
      `conflict: the remote function is at version ${c.remoteVersion}, not ${c.linkedVersion ?? '(never synced)'}; it was changed elsewhere.`,
      'Nothing was published. Re-run with --overwrite (IDE function) or without --expect-version (directory) to replace it.',
    )
    return lines.join('\n') + '\n'
  }
  lines.push(
    result.status === 'unchanged'
      ? `${target}: unchanged (remote version ${result.remoteVersion} already has this code and config)`
      : `${target}: published, remote version ${result.remoteVersion}${result.versionCreated ? ' (new)' : ''}`,
  )
  for (const url of result.publicUrls) lines.push(`  ${url}`)
  if (result.curl) lines.push(`  ${result.curl}`)
  if (result.envVarsMissingRemotely.length) lines.push(`warning: the code reads env vars the server does not have: ${result.envVarsMissingRemotely.join(', ')}`)
  return lines.join('\n') + '\n'
}
