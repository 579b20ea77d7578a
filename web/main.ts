#!/usr/bin/env node
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startWebMode } from './start-web-mode.ts'

const USAGE = `Usage: npm run web -- [--port 5178] [--data <dir>] [--static <dir>]

Serves the IDE to your browser from 127.0.0.1. Open the printed URL: it carries the access token.
Env: EDGEPAD_IDE_DATA (default ~/.edgepad/ide), EDGEPAD_IDE_PORT, EDGEPAD_IDE_TOKEN.`

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values } = parseArgs({
  options: { port: { type: 'string' }, data: { type: 'string' }, static: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
})
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}
const port = Number(values.port ?? process.env.EDGEPAD_IDE_PORT ?? 5178)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`edgepad web: --port must be 0-65535, got ${values.port}\n\n${USAGE}`)
  process.exit(2)
}
const staticDir = path.resolve(values.static ?? path.join(root, 'out/renderer'))
if (!fs.existsSync(path.join(staticDir, 'index.html'))) {
  console.error(`edgepad web: no built renderer in ${staticDir}; run \`npm run build:renderer\` first`)
  process.exit(2)
}
const token = process.env.EDGEPAD_IDE_TOKEN ?? randomBytes(24).toString('base64url')
const host = await startWebMode({
  port,
  token,
  staticDir,
  dataDir: path.resolve(values.data ?? process.env.EDGEPAD_IDE_DATA ?? path.join(os.homedir(), '.edgepad/ide')),
})
console.log(`Edgepad IDE (web mode): ${host.url}`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    void host.close().then(() => process.exit(0))
  })
}
