/**
 * `npm run bench:log`: what the invocation log costs the server, by request body size. Edgepad as
 * shipped and with its log off, each its own process; wrk POSTs a body to a function that answers
 * its length, the two servers interleaved round by round (medians). Before each run the log has
 * caught up; after each log-on run, the time it took to catch up and the journal bytes written per
 * request. Prints a table; asserts nothing.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdgepadServer, type EdgepadServer } from './peers/edgepad-system.ts'
import { runWrk } from './peers/wrk.ts'
import { median, printTable } from './table.ts'

const SIZES_KB = (process.env.BENCH_LOG_SIZES_KB ?? '1,64,512').split(',').map(Number)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10)
const LENGTH = `export default async function handler(request) { return { statusCode: 200, body: String(request.body === null ? 0 : request.body.length) } }`

/** A JSON document of about `kb` KB: what an API upload looks like, text the log can store and search. */
function bodyOf(kb: number): string {
  const item = JSON.stringify({ id: 'item-000000', name: 'a product name', price: 12.5, tags: ['one', 'two', 'three'] })
  const items: string[] = []
  for (let size = 12; size < kb * 1024; size += item.length + 1) items.push(item)
  return `{"items":[${items.join(',')}]}`
}

function journalBytes(dataDir: string): number {
  const dir = join(dataDir, 'log-journal')
  let total = 0
  for (const name of readdirSync(dir)) total += statSync(join(dir, name)).size
  return total
}

interface Sample {
  rps: number
  catchUpS: number
  journalPerRequest: number
}

async function run(server: EdgepadServer, dataDir: string | null, url: string, body: string, dir: string): Promise<Sample> {
  await server.logCaughtUp()
  const before = dataDir ? journalBytes(dataDir) : 0
  const load = await runWrk(url, CONNECTIONS, SECONDS, 'POST', body, dir)
  if (load.errors > 0) throw new Error(`${load.errors} requests failed at ${url}`)
  const written = dataDir ? journalBytes(dataDir) - before : 0
  const catchUpS = await server.logCaughtUp()
  return { rps: load.rps, catchUpS, journalPerRequest: written / load.requests }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'edgepad-bench-log-'))
  const onDir = join(dir, 'on')
  const on = await startEdgepadServer(onDir)
  const off = await startEdgepadServer(join(dir, 'off'), { EDGEPAD_INVOCATION_LOG: 'off' })
  try {
    const urls = { on: `${on.origin}/fn/${await on.deploy('length', LENGTH)}`, off: `${off.origin}/fn/${await off.deploy('length', LENGTH)}` }
    const rows: string[][] = []
    for (const kb of SIZES_KB) {
      const body = bodyOf(kb)
      // Warm-up, excluded: both servers compile, fill their pools and JIT the path.
      await runWrk(urls.on, CONNECTIONS, 1, 'POST', body, dir)
      await runWrk(urls.off, CONNECTIONS, 1, 'POST', body, dir)
      const samples = { on: [] as Sample[], off: [] as Sample[] }
      for (let round = 0; round < ROUNDS; round++) {
        samples.on.push(await run(on, onDir, urls.on, body, dir))
        samples.off.push(await run(off, null, urls.off, body, dir))
      }
      const rpsOn = median(samples.on.map((s) => s.rps))
      const rpsOff = median(samples.off.map((s) => s.rps))
      rows.push([
        `${kb} KB`,
        samples.on.map((s) => s.rps.toFixed(0)).join(', '),
        samples.off.map((s) => s.rps.toFixed(0)).join(', '),
        `${((1 - rpsOn / rpsOff) * 100).toFixed(0)}%`,
        `${median(samples.on.map((s) => s.catchUpS)).toFixed(2)} s`,
        `${(median(samples.on.map((s) => s.journalPerRequest)) / 1024).toFixed(1)} KB`,
      ])
      console.error(`${kb} KB done`)
    }
    printTable(
      `What the invocation log costs, POST bodies at c=${CONNECTIONS}, wrk ${SECONDS} s runs, ${ROUNDS} interleaved rounds (cost from the medians)`,
      ['body', 'req/s, log on', 'req/s, log off', 'logging cost', 'log catch-up after a run', 'journal written per request'],
      rows,
    )
  } finally {
    await Promise.all([on.stop(), off.stop()])
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
