import type { Socket } from 'node:net'
import type { ServedResponse } from './function-call.ts'
import { parseRequestHead, MAX_HEAD_BYTES, type RequestHead } from './http1-request-head.ts'
import { http1Response } from './http1-response.ts'

export interface Http1Request {
  head: RequestHead
  /** The whole body (Content-Length bytes), or null when there is none. */
  body: Buffer | null
  remoteAddress: string | undefined
}

export interface Http1Options {
  maxBodyBytes: number
  keepAliveTimeoutMs: number
  /** A request still incomplete this long after its first byte is handed over (node:http's headers timeout then applies). */
  headersTimeoutMs: number
  /** Serves one request; null leaves it, and the rest of the connection, to `handOver`. */
  serve(request: Http1Request): Promise<ServedResponse | null>
  /** Takes the connection over with the bytes not consumed yet, starting at a request's first byte (node:http). */
  handOver(socket: Socket, unread: Buffer | null): void
  /** Each request's work, from its parse to its response written (or its hand-over), for shutdown to wait on. */
  track(work: Promise<void>): void
  onError(error: unknown): void
}

export interface Http1Connection {
  /** Closes the connection if it is between requests; returns whether it did. */
  closeIfIdle(): boolean
  /** Asks for `Connection: close` on the response in flight, if any (shutdown). */
  closeAfterResponse(): void
}

/**
 * Serves the common case of HTTP/1.1 on `socket` without node:http: one request at a time, in
 * order (pipelined requests wait in the buffer), each parsed by `parseRequestHead` and answered
 * with one write. node:http builds a stream pair, timers and listeners per request; for small
 * function calls that machinery cost about as much as the function. Anything outside the common
 * case (see `parseRequestHead`), any request `serve` declines, and a request left incomplete too
 * long are handed over to node:http, which keeps the connection from then on: the bytes it gets
 * start at that request's first byte, and every earlier response has been written.
 */
export function serveHttp1(socket: Socket, options: Http1Options): Http1Connection {
  let chunks: Buffer[] = []
  let size = 0
  /** A parsed head whose body has not all arrived yet, and the bytes the request needs in all. */
  let waiting: { head: RequestHead; total: number } | null = null
  let partialSince = 0
  let busy = false
  let paused = false
  let closeAfter = false
  let gone = false

  const buffered = (): Buffer => {
    if (chunks.length > 1) chunks = [Buffer.concat(chunks, size)]
    return chunks[0]!
  }

  const handOver = (request: Buffer | null) => {
    gone = true
    socket.off('data', onData)
    socket.off('timeout', onTimeout)
    socket.off('error', onSocketError)
    socket.off('drain', resume)
    socket.setTimeout(0)
    socket.pause()
    const rest = size > 0 ? buffered() : null
    chunks = []
    size = 0
    options.handOver(socket, request && rest ? Buffer.concat([request, rest]) : (request ?? rest))
  }

  const next = () => {
    if (gone || busy || size === 0) return
    if (!waiting) {
      const head = parseRequestHead(buffered(), options.maxBodyBytes)
      if (head === 'unsupported') return handOver(null)
      if (head === 'incomplete') return stillIncomplete()
      waiting = { head, total: head.length + head.contentLength }
    }
    if (size < waiting.total) return stillIncomplete()
    const { head, total } = waiting
    waiting = null
    partialSince = 0
    const data = buffered()
    const raw = data.subarray(0, total)
    if (size === total) {
      chunks = []
      size = 0
    } else {
      chunks = [data.subarray(total)]
      size -= total
    }
    busy = true
    // Pipelined bytes wait in our buffer; past a head's worth, the kernel holds the rest.
    if (size > MAX_HEAD_BYTES) pause()
    const body = head.contentLength > 0 ? raw.subarray(head.length) : null
    options.track(
      options.serve({ head, body, remoteAddress: socket.remoteAddress }).then(
        (served) => (served === null ? handOver(raw) : respond(head, served)),
        (error: unknown) => {
          options.onError(error)
          socket.destroy()
        },
      ),
    )
  }

  const stillIncomplete = () => {
    if (partialSince === 0) partialSince = Date.now()
    else if (Date.now() - partialSince > options.headersTimeoutMs) handOver(null)
  }

  const respond = (head: RequestHead, served: ServedResponse) => {
    busy = false
    if (gone || socket.destroyed || !socket.writable) return
    const close = head.close || closeAfter
    const out = http1Response(served, { head: head.method === 'HEAD', close, keepAliveTimeoutMs: options.keepAliveTimeoutMs })
    if (out.length === 1) socket.write(out[0]!)
    else {
      socket.cork()
      for (const part of out) socket.write(part)
      socket.uncork()
    }
    if (close) {
      gone = true
      socket.end()
      return
    }
    // A client that sends requests but does not read the answers gets no more of them served.
    if (socket.writableNeedDrain) {
      pause()
      socket.once('drain', resume)
      return
    }
    resume()
  }

  const pause = () => {
    paused = true
    socket.pause()
  }

  const resume = () => {
    if (paused && !gone) {
      paused = false
      socket.resume()
    }
    next()
  }

  function onData(chunk: Buffer) {
    chunks.push(chunk)
    size += chunk.length
    next()
  }

  // Between requests the keep-alive timeout closes the connection, as node:http's does; a request
  // that stalls part-way goes to node:http, which answers it 408 in time. A function still
  // running is not a stall: the timer runs again once its response is written.
  function onTimeout() {
    if (busy || gone) return
    if (size === 0) socket.destroy()
    else handOver(null)
  }

  function onSocketError() {
    socket.destroy()
  }

  socket.on('data', onData)
  socket.on('timeout', onTimeout)
  socket.on('error', onSocketError)
  socket.setTimeout(options.keepAliveTimeoutMs)

  return {
    closeIfIdle() {
      if (gone || busy || size > 0) return false
      gone = true
      socket.destroy()
      return true
    },
    closeAfterResponse() {
      closeAfter = true
    },
  }
}
