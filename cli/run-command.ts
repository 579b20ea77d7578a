import { readFileSync } from 'node:fs'
import { basename, extname } from 'node:path'
import { parseArgs } from 'node:util'
import { isAppError } from '../common/errors.ts'
import type { InvocationResult } from '../common/model/invocation.ts'
import { createRuntime } from '../core/runtime/runtime.ts'

export const RUN_USAGE = `Usage: edgepad run <file.js|file.ts> [options]

Options:
  -X, --method <method>   HTTP method (default GET)
  -p, --path <path>       Request path, may include ?query (default /)
      --url <url>         Full request URL instead of --path
  -H, --header <k: v>     Request header (repeatable)
  -q, --query <k=v>       Query parameter (repeatable)
  -d, --body <text>       Request body
      --body-file <file>  Request body read from a file
  -e, --env <K=V>         Environment variable for the function (repeatable)
      --handler <name>    Export to call (default: default)
      --timeout <ms>      Timeout, 1000-30000 (default 10000)
      --memory <mb>       Memory limit, 64-512 (default 128)
      --json              Print the whole result as JSON
  -h, --help              Show this help

Exit code: 0 when the outcome is ok, 1 for any other outcome, 2 for bad usage.`

interface Output {
  write(text: string): unknown
}

export async function runCommand(argv: string[], out: Output, err: Output): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        method: { type: 'string', short: 'X' },
        path: { type: 'string', short: 'p' },
        url: { type: 'string' },
        header: { type: 'string', short: 'H', multiple: true },
        query: { type: 'string', short: 'q', multiple: true },
        body: { type: 'string', short: 'd' },
        'body-file': { type: 'string' },
        env: { type: 'string', short: 'e', multiple: true },
        handler: { type: 'string' },
        timeout: { type: 'string' },
        memory: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    err.write(`edgepad run: ${(error as Error).message}\n\n${RUN_USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    out.write(RUN_USAGE + '\n')
    return 0
  }
  if (positionals.length !== 1) {
    err.write(`edgepad run: expected exactly one function file, got ${positionals.length}\n\n${RUN_USAGE}\n`)
    return 2
  }
  const file = positionals[0]!
  let code: string
  let body: string | Uint8Array | undefined
  try {
    code = readFileSync(file, 'utf8')
    body = values['body-file'] ? new Uint8Array(readFileSync(values['body-file'])) : values.body
  } catch (error) {
    err.write(`edgepad run: cannot read ${(error as NodeJS.ErrnoException).path ?? file}: ${(error as Error).message}\n`)
    return 2
  }
  let headers: Record<string, string>, query: Record<string, string[]>, envVars: Record<string, string>
  try {
    headers = Object.fromEntries(pairs(values.header ?? [], ':', '--header', 'name: value'))
    query = grouped(pairs(values.query ?? [], '=', '--query', 'name=value'))
    envVars = Object.fromEntries(pairs(values.env ?? [], '=', '--env', 'NAME=value'))
  } catch (error) {
    err.write(`edgepad run: ${(error as Error).message}\n`)
    return 2
  }

  // Local testing: the function may call services on this machine and the local network.
  const runtime = createRuntime({ workers: 1, egress: { allowPrivateNetworks: true } })
  try {
    const result = await runtime.run(
      {
        id: `cli:${file}`,
        code,
        filename: basename(file),
        runtime: extname(file) === '.ts' || extname(file) === '.mts' ? 'TYPESCRIPT' : 'JAVASCRIPT',
        envVars,
        ...(values.handler ? { handler: values.handler } : {}),
        ...(values.timeout ? { timeoutMs: Number(values.timeout) } : {}),
        ...(values.memory ? { memoryMb: Number(values.memory) } : {}),
      },
      { method: values.method, path: values.path, url: values.url, headers, query, body },
    )
    out.write(values.json ? JSON.stringify(toJson(result), null, 2) + '\n' : format(result))
    return result.outcome === 'ok' ? 0 : 1
  } catch (error) {
    if (!isAppError(error)) throw error
    err.write(`edgepad run: ${error.message}\n`)
    return 2
  } finally {
    await runtime.close()
  }
}

/** Splits repeated `name<sep>value` flags; every name keeps all its values in order. */
function pairs(items: string[], separator: string, flag: string, shape: string): [string, string][] {
  return items.map((item) => {
    const at = item.indexOf(separator)
    if (at <= 0) throw new Error(`${flag} expects ${shape}, got '${item}'`)
    return [item.slice(0, at).trim(), item.slice(at + 1).trim()]
  })
}

function grouped(list: [string, string][]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [key, value] of list) (out[key] ??= []).push(value)
  return out
}

function bodyText(body: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return `<${body.byteLength} bytes of binary data>`
  }
}

function format(result: InvocationResult): string {
  const lines = [`${result.outcome === 'ok' ? 'ok' : result.outcome} · HTTP ${result.response.statusCode}`]
  for (const [name, value] of Object.entries(result.response.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${item}`)
  }
  lines.push('', bodyText(result.response.body))
  if (result.error?.stack && result.outcome !== 'ok') lines.push('', result.error.stack)
  if (result.console.length) {
    lines.push('', '── console ──')
    for (const line of result.console) lines.push(`[${line.level}] ${line.message}`)
  }
  const m = result.metrics
  lines.push('', `── ${m.wallMs.toFixed(2)} ms wall · ${m.cpuMs.toFixed(2)} ms CPU · ${(m.peakHeapBytes / 1024 / 1024).toFixed(1)} MB heap · ${m.coldStart ? 'cold' : 'warm'} ──`)
  return lines.join('\n') + '\n'
}

function toJson(result: InvocationResult) {
  return { ...result, response: { ...result.response, body: bodyText(result.response.body) } }
}
