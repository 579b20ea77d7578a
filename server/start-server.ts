import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo, type Server as NetServer } from 'node:net'
import path from 'node:path'
import { getRequestListener } from '@hono/node-server'
import { TIMEOUT_MS } from '../common/model/limits.ts'
import { createDnsVerifier } from '../core/http/dns-verifier.ts'
import { createHttpApp, type HttpApp } from '../core/http/create-http-app.ts'
import { acceptForwarded } from '../core/http/forwarded-client.ts'
import { createFrontHost, type FrontHost } from '../core/http/front-host.ts'
import type { HttpOptions } from '../core/http/http-context.ts'
import { createRuntime, type Runtime } from '../core/runtime/runtime.ts'
import { DEFAULT_INDEX_GATE } from '../core/store/index-gate.ts'
import { openStore } from '../core/store/open-store.ts'
import type { Store } from '../core/store/repos.ts'
import { createAesGcmBox } from '../core/secrets/aes-gcm-box.ts'
import { envKeyProvider, SECRET_KEYS_ENV } from '../core/secrets/env-key-provider.ts'
import { fileKeyProvider } from '../core/secrets/file-key-provider.ts'
import { bootstrapAdmin } from './admin-bootstrap.ts'
import type { ServerConfig } from './config.ts'
import { createInflight } from '../core/http/inflight.ts'

export interface RunningServer {
  url: string
  port: number
  /** Set only on the first start without EDGEPAD_ADMIN_TOKEN: print it once. */
  generatedAdminToken: string | null
  store: Store
  runtime: Runtime
  http: HttpApp
  /** The worker fronts' host; null with EDGEPAD_DIRECT_SERVING=false. */
  front: FrontHost | null
  /** Resolves once every invocation served before the call is committed to the log (worker fronts report theirs after responding). */
  flushInvocationLog(): Promise<void>
  /** Graceful: stop accepting, finish in-flight invocations (bounded by the longest deadline), flush the log, close. */
  close(): Promise<void>
}

/** The server's composition root: keys, store, admin, runtime, HTTP app, listener. */
export async function startServer(config: ServerConfig, env: Record<string, string | undefined> = process.env): Promise<RunningServer> {
  fs.mkdirSync(config.dataDir, { recursive: true })
  const keys = env[SECRET_KEYS_ENV] ? envKeyProvider(env) : fileKeyProvider({ file: config.keyFile })
  const store = await openStore({
    file: path.join(config.dataDir, 'edgepad.db'),
    secretBox: createAesGcmBox(await keys.load()),
    durability: config.durability,
    // Served traffic logs every invocation; its SQLite work runs beside the request thread, in
    // batches of up to 50 ms (fewer commits, fsyncs and page writes per row). Acknowledged writes
    // (the invoke API, whose caller reads the log next) are committed at once.
    writerThread: true,
    writer: { flushIntervalMs: 50 },
    // The worker fronts journal what they serve; an idle-priority process indexes it (log-journal.ts).
    journalDir: config.directServing && config.logInvocations ? path.join(config.dataDir, 'log-journal') : undefined,
    // A burst's rows wait on disk for a free core, well before the fronts would pause for them.
    journalGate: { ...DEFAULT_INDEX_GATE, maxWaitMs: config.logIndexWaitMs, maxWaitBytes: Math.floor(config.logBacklogBytes / 4) },
    retention: { maxAgeMs: config.logRetentionMs, maxRowsPerFunction: config.logMaxRowsPerFunction },
  })
  let runtime: Runtime | null = null
  const onError = (error: unknown) => console.error('[http]', error)
  const front = config.directServing ? createFrontHost(onError) : null
  try {
    const { generatedToken } = await bootstrapAdmin(store, config.adminToken)
    runtime = createRuntime({
      front: front ?? undefined,
      workers: config.workers,
      egress: { allowPrivateNetworks: config.allowPrivateNetworks },
      workerExecArgv: [
        // V8's GC helper threads compete with the serving thread for the same few cores: under wrk
        // at c=100 on 2 cores, single-threaded GC cut a worker's p99 from ~100-150 ms to ~35-60 ms.
        '--single-threaded-gc',
        // A request's objects (and its log row, held until the next journal write) outlive a
        // 16 MB young generation under load and get promoted; with 64 MB fewer do, and fewer
        // old-space collections (30-60 ms pauses on this path) are needed: +5-15% req/s here.
        '--max-semi-space-size=64',
        // `npm run bench:peers` with EDGEPAD_PROFILE_DIR profiles the worker processes too.
        ...(env.EDGEPAD_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${env.EDGEPAD_PROFILE_DIR}`] : []),
      ],
    })
    const inflight = createInflight()
    const options: HttpOptions = {
      maxBodyBytes: config.maxBodyBytes,
      maxApiBodyBytes: Math.max(config.maxBodyBytes, 6 * 1024 * 1024),
      trustProxy: config.trustProxy,
      baseDomain: config.baseDomain,
      logInvocations: config.logInvocations,
      cacheTtlMs: 5000,
      traefik: {
        upstreamUrl: config.upstreamUrl ?? '',
        certResolver: config.certResolver,
        entryPoints: config.entryPoints,
      },
    }
    const http = createHttpApp({ store, runtime, dns: createDnsVerifier({ servers: config.dnsServers }), options, onError, onInvalidate: front?.invalidate })
    const secret = randomBytes(24).toString('base64url')
    // With the worker fronts, this server takes the connections no worker could and the requests
    // workers forward (on a private loopback port); without them it is the public listener.
    const server = await listen(http, config, inflight, secret, front ? { port: 0, host: '127.0.0.1' } : config)
    if (front) {
      front.attach(http.ctx, runtime.workers, {
        maxBodyBytes: options.maxBodyBytes,
        trustProxy: options.trustProxy,
        logInvocations: options.logInvocations !== false,
        logBacklogBytes: config.logBacklogBytes,
        cacheTtlMs: options.cacheTtlMs,
        forward: { port: (server.address() as AddressInfo).port, secret },
        http: { requestTimeoutMs: config.requestTimeoutMs, headersTimeoutMs: Math.min(config.requestTimeoutMs, 20_000), keepAliveTimeoutMs: 5000, connectionsCheckingIntervalMs: Math.min(1000, config.requestTimeoutMs) },
      })
      // "Listening" means connections go to the workers; a worker that cannot start leaves them to us.
      await front.ready(15_000)
    }
    const entry = front ? await listenPublic(config, front, server).catch((error: unknown) => {
      server.close()
      throw error
    }) : server
    const port = (entry.address() as AddressInfo).port
    // With EDGEPAD_PORT=0 the real port is known only now.
    if (!config.upstreamUrl) options.traefik = { ...options.traefik, upstreamUrl: `http://${hostForUrl(config.host)}:${port}` }
    let closing: Promise<void> | null = null
    const rt = runtime
    return {
      url: `http://${hostForUrl(config.host)}:${port}`,
      port,
      generatedAdminToken: generatedToken,
      store,
      runtime: rt,
      http,
      front,
      async flushInvocationLog() {
        await front?.flush()
        await store.invocations.flush()
      },
      close() {
        closing ??= (async () => {
          // Stop accepting; connections this listener gave to our own server are drained with it below.
          if (entry !== server) entry.close()
          // Workers finish what their connections have in flight (forwarding to us meanwhile) and report their last log rows.
          await front?.drain(TIMEOUT_MS.max + 5000)
          const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
          server.closeIdleConnections()
          // Every invocation ends by its own deadline; the grace covers the worker's kill-and-report path.
          await inflight.drained(TIMEOUT_MS.max + 5000)
          // Keep-alive sockets turn idle once their last response is written; close them as they do.
          const sweep = setInterval(() => server.closeIdleConnections(), 25)
          await Promise.race([stopped, new Promise((r) => setTimeout(r, 2000))])
          clearInterval(sweep)
          server.closeAllConnections()
          http.close()
          await rt.close()
          await store.close()
        })()
        return closing
      },
    }
  } catch (error) {
    await runtime?.close()
    await store.close()
    throw error
  }
}

function listen(http: HttpApp, config: ServerConfig, inflight: ReturnType<typeof createInflight>, secret: string, at: { port: number; host: string }): Promise<Server> {
  return new Promise((resolve, reject) => {
    const app = getRequestListener((request, bindings) => http.app.fetch(request, bindings), { hostname: config.host })
    const server = createServer(
      {
        requestTimeout: config.requestTimeoutMs,
        headersTimeout: Math.min(config.requestTimeoutMs, 20_000),
        keepAliveTimeout: 5000,
        // Node checks the two timeouts above only this often (default 30 s).
        connectionsCheckingInterval: Math.min(1000, config.requestTimeoutMs),
      },
      (req, res) => {
        acceptForwarded(req, secret)
        // Function traffic is answered straight from node:http; the rest goes through the Hono app.
        // Whole requests are tracked (not only invocations), so draining also waits for API calls.
        const handled = http.serveNode(req, res).then((served) => (served ? undefined : app(req, res)))
        void inflight.track(handled).catch((error: unknown) => {
          // A bug on our side must cost one response, never the process.
          console.error('[http]', error)
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"code":"internal","message":"Internal server error"}}')
          else res.destroy()
        })
      },
    )
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      resolve(server)
    })
    server.listen(at.port, at.host)
  })
}

/** The public port: each connection goes to a worker's front, or to `fallback` while no worker can take it. */
function listenPublic(config: ServerConfig, front: FrontHost, fallback: Server): Promise<NetServer> {
  return new Promise((resolve, reject) => {
    // Paused: not a byte is read here, so the worker's parser sees the connection from its start.
    // noDelay as node:http sets it on the connections it accepts itself (a handed-over socket keeps it).
    const server = createNetServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
      if (front.dispatch(socket)) return
      fallback.emit('connection', socket)
      socket.resume()
    })
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      resolve(server)
    })
    server.listen(config.port, config.host)
  })
}

const hostForUrl = (host: string) => (host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host)
