#!/usr/bin/env node
/**
 * `npm run server` / `npx edgepad-server`: the self-hosted Edgepad server on embedded defaults.
 * Configuration comes from EDGEPAD_* env vars (see README "Server").
 */
import { isAppError } from '../common/errors.ts'
import { loadConfig } from './config.ts'
import { startServer } from './start-server.ts'

async function main(): Promise<void> {
  let config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    console.error(isAppError(error) ? `edgepad-server: ${error.message}` : error)
    process.exit(2)
  }
  const server = await startServer(config)
  if (server.generatedAdminToken) {
    console.log('\nAdmin token (shown once, stored hashed; keep it safe):\n')
    console.log(`  ${server.generatedAdminToken}\n`)
  }
  // Printed last: scripts and tests wait for this line.
  console.log(`edgepad-server listening on ${server.url} (data: ${config.dataDir}, workers: ${config.workers})`)
  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    console.log(`edgepad-server: ${signal} received, draining in-flight requests`)
    server.close().then(
      () => {
        console.log('edgepad-server: stopped')
        process.exit(0)
      },
      (error: unknown) => {
        console.error('edgepad-server: shutdown failed', error)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  console.error('edgepad-server: failed to start:', isAppError(error) ? error.message : error)
  process.exit(1)
})
