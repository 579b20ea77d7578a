import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { AppError } from '../../common/errors.ts'
import { TIMEOUT_MS } from '../../common/model/limits.ts'
import { createBatchedRun } from '../runtime/batched-run.ts'
import type { Executor } from '../runtime/executor.ts'
import { createLogJournalWriter, type LogJournalWriter } from '../store/log-journal-writer.ts'
import { createForwarder } from './forward-to-host.ts'
import { createFrontLookups } from './front-lookups.ts'
import type { FrontConfig, FrontFromWorker, FrontToWorker } from './front-protocol.ts'
import { createInflight } from './inflight.ts'
import { discardingLog } from './invoke-function.ts'
import { serveHttp1, type Http1Connection } from './http1-connection.ts'
import { withSharedReadBuffer } from './shared-read-buffer.ts'
import { createFunctionTraffic, createNodeFunctionListener, tooLarge } from './node-function-listener.ts'
import type { RateLimiter } from './rate-limiter.ts'
import type { ServeDeps } from './serve-function.ts'
import type { ServedFunction } from './served-functions.ts'

const INTERNAL_ERROR = '{"error":{"code":"internal","message":"Internal server error"}}'

/** Rate limits are counted by the host alone (one count per function, not one per worker): such functions are forwarded. */
const hostOnlyLimiter: RateLimiter = {
  hit() {
    throw new AppError('internal', 'Rate-limited functions are served by the host')
  },
  close() {},
}

/**
 * The server's HTTP front inside a runtime worker. The host hands it client connections; it
 * answers function traffic in this process, where the isolates are, so a request costs no
 * process hop: routing and the served function come from the host once per TTL, the log rows go
 * to this worker's journal (the host indexes it), each invocation's record before it runs. Whatever is not function traffic it can serve (the
 * API, rate-limited functions) is forwarded to the host over loopback.
 */
/**
 * `send` batches per turn; `sendNow` writes at once, for what must leave before guest code runs
 * (an isolate that takes the process down ends that turn before the batch is written).
 */
export function createWorkerFront(executor: Executor, send: (message: FrontFromWorker) => void, sendNow: (message: FrontFromWorker) => void, onError: (error: unknown) => void) {
  let server: Server | null = null
  let draining: Promise<void> | null = null
  let lookups: ReturnType<typeof createFrontLookups> | null = null
  let forwarder: ReturnType<typeof createForwarder> | null = null
  let journal: LogJournalWriter | null = null
  let run: ReturnType<typeof createBatchedRun> | null = null
  let paused = false
  const inflight = createInflight()
  /** Connections our own HTTP/1.1 path serves; node:http tracks the ones handed over to it. */
  const fast = new Map<Socket, Http1Connection>()
  let accept: ((socket: Socket) => void) | null = null

  const start = (config: FrontConfig) => {
    const cached = createFrontLookups((id, lookup) => send({ type: 'lookup', id, ...lookup }), config.cacheTtlMs)
    const forward = createForwarder(config.forward)
    if (config.logInvocations && !config.journalFile) throw new Error('The front logs invocations but was given no journal')
    const log = config.logInvocations ? createLogJournalWriter(config.journalFile!, onError, { bodyBytes: config.journalBodyBytes }) : null
    journal = log
    // The deadline is announced when it moves a second or more past the last one announced.
    let announced = 0
    run = createBatchedRun(executor, (longestTimeoutMs) => {
      // The batch's crash records (and the turn's finished rows) reach the journal before guest code runs.
      log?.writeNow()
      const until = Date.now() + longestTimeoutMs
      if (until < announced + 1000) return
      announced = until
      sendNow({ type: 'busy', until })
    })
    if (paused) run.pause()
    const serve: ServeDeps = {
      runtime: run,
      invocations: log ?? discardingLog,
      began: log?.began,
      now: Date.now,
      onLogError: onError,
      limiter: hostOnlyLimiter,
      maxBodyBytes: config.maxBodyBytes,
      trustProxy: config.trustProxy,
    }
    const functionTraffic = { routing: cached.routing, served: cached.served, serve }
    const notRateLimited = (fn: ServedFunction) => fn.settings.rateLimit === null
    const serveNode = createNodeFunctionListener(functionTraffic, onError, notRateLimited)
    const http = createServer(
      {
        requestTimeout: config.http.requestTimeoutMs,
        headersTimeout: config.http.headersTimeoutMs,
        keepAliveTimeout: config.http.keepAliveTimeoutMs,
        connectionsCheckingInterval: config.http.connectionsCheckingIntervalMs,
      },
      (req, res) => {
        const handled = serveNode(req, res).then((served) => (served ? undefined : forward.forward(req, res)))
        void inflight.track(handled).catch((error: unknown) => {
          onError(error)
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end(INTERNAL_ERROR)
          else res.destroy()
        })
      },
    )
    const traffic = createFunctionTraffic(functionTraffic, onError, notRateLimited)
    const toNodeHttp = (socket: Socket, unread: Buffer | null) => {
      fast.delete(socket)
      if (unread) socket.unshift(unread)
      http.emit('connection', socket)
      socket.resume()
    }
    accept = (received) => {
      // The host accepted it paused, so it read nothing yet: it can be re-wrapped.
      const socket = withSharedReadBuffer(received)
      socket.setNoDelay(true)
      const connection = serveHttp1(socket, {
        maxBodyBytes: config.maxBodyBytes,
        keepAliveTimeoutMs: config.http.keepAliveTimeoutMs,
        headersTimeoutMs: config.http.headersTimeoutMs,
        serve: ({ head, body, remoteAddress }) =>
          traffic({
            method: head.method,
            target: head.target,
            headers: head.headers,
            scheme: 'http',
            remoteAddress,
            readBody: (maxBytes) => (body && body.byteLength > maxBytes ? Promise.reject(tooLarge(maxBytes)) : Promise.resolve(body)),
          }).then((served) => (typeof served === 'string' ? null : served)),
        handOver: toNodeHttp,
        track: (work) => void inflight.track(work),
        onError,
      })
      fast.set(socket, connection)
      socket.once('close', () => fast.delete(socket))
      socket.resume()
    }
    // Our connections come from the host, not from a listen() of ours, and 'listening' is what
    // starts node:http's header and request timeout checks (slow clients).
    http.emit('listening')
    server = http
    lookups = cached
    forwarder = forward
  }

  const drain = async () => {
    const http = server
    if (!http) return
    // Held invocations must run for in-flight requests to finish.
    run?.resume()
    const closeIdle = () => {
      http.closeIdleConnections()
      for (const connection of fast.values()) connection.closeIfIdle()
    }
    for (const connection of fast.values()) connection.closeAfterResponse()
    const sweep = setInterval(closeIdle, 25)
    closeIdle()
    await inflight.drained(TIMEOUT_MS.max + 5000)
    clearInterval(sweep)
    http.closeAllConnections()
    for (const socket of fast.keys()) socket.destroy()
    forwarder?.close()
  }

  return {
    receive(message: FrontToWorker, handle?: Socket): void {
      switch (message.type) {
        case 'config':
          if (!server) start(message.config)
          return
        case 'connection':
          if (!handle) return
          if (!accept || draining) {
            handle.destroy()
            return
          }
          accept(handle)
          return
        case 'lookup-reply':
          lookups?.reply(message.id, 'value' in message ? { value: message.value } : { error: message.error })
          return
        case 'invalidate':
          lookups?.invalidate(message.functionId)
          return
        case 'pause':
          paused = true
          run?.pause()
          return
        case 'resume':
          paused = false
          run?.resume()
          return
        case 'sync':
          journal?.writeNow()
          send({ type: 'synced', id: message.id })
          return
        case 'drain':
          draining ??= drain()
          void draining.then(() => {
            // Not closed: a late `ctx.waitUntil` row still goes in, and the host reads the journal to its end once this worker exits.
            journal?.writeNow()
            send({ type: 'drained' })
          })
          return
      }
    },
  }
}
