import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { openIde } from '../core/ide/open-ide.ts'
import { createWebHost } from './web-host.ts'

export interface WebModeOptions {
  port: number
  token: string
  staticDir: string
  dataDir: string
  workers?: number
}

export interface RunningWebMode {
  /** Includes the token, so opening it is all a user does. */
  url: string
  port: number
  close(): Promise<void>
}

/** The web host's composition root: the IDE services plus the HTTP transport, on loopback only. */
export async function startWebMode(options: WebModeOptions): Promise<RunningWebMode> {
  const listeners = new Set<(event: string, payload: unknown) => void>()
  const ide = await openIde({
    dataDir: options.dataDir,
    host: 'web',
    ...(options.workers ? { workers: options.workers } : {}),
    emit: (event, payload) => {
      for (const listener of listeners) listener(event, payload)
    },
  })
  let port = options.port
  const app = createWebHost({
    token: options.token,
    staticDir: options.staticDir,
    call: ide.call,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    allowedHosts: () => [`127.0.0.1:${port}`, `localhost:${port}`],
  })
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: options.port }, () => resolve(s as Server))
    ;(s as Server).once('error', reject)
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/?token=${encodeURIComponent(options.token)}`,
    port,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await ide.close()
    },
  }
}
