import type { IncomingMessage, ServerResponse } from 'node:http'
import { TLSSocket } from 'node:tls'
import { AppError } from '../../common/errors.ts'
import { errorServed } from './error-response.ts'
import { ServedError, type FunctionCall, type ServedResponse } from './function-call.ts'
import { forwardedClient } from './forwarded-client.ts'
import { findFunctionTarget, type TargetLookups } from './function-target.ts'
import { serveFunction, type ServeDeps } from './serve-function.ts'
import type { ServedFunction } from './served-functions.ts'

export interface FunctionTrafficContext extends TargetLookups {
  serve: ServeDeps
}

/** Requests this listener already found not to be function traffic: the app need not route them again. */
export const notFunctionTraffic = new WeakSet<IncomingMessage>()

/** One request as the front received it, before routing. */
export interface TrafficRequest {
  method: string
  /** The request target as sent. */
  target: string
  headers: Record<string, string>
  scheme: FunctionCall['scheme']
  remoteAddress: string | undefined
  readBody: FunctionCall['readBody']
}

/**
 * Routes and serves function traffic, whichever HTTP layer received it: the response, or
 * 'not-function-traffic', or 'declined' for a function `accept` leaves to another server (a
 * worker's front leaves rate-limited ones to the host). Same routing, limits and error bodies as
 * the app's `functionTraffic` middleware (both call `serveFunction`).
 */
export function createFunctionTraffic(ctx: FunctionTrafficContext, onError: (error: unknown) => void, accept: (fn: ServedFunction) => boolean = () => true) {
  return async (request: TrafficRequest): Promise<ServedResponse | 'not-function-traffic' | 'declined'> => {
    try {
      // The same normalization the app sees (dot segments, percent-encoding), from the same parser.
      const url = new URL(request.target, 'http://host')
      const target = await findFunctionTarget(ctx, request.headers.host, url.pathname)
      if (!target) return 'not-function-traffic'
      if (!accept(target.fn)) return 'declined'
      const { method, headers, scheme, remoteAddress, readBody } = request
      return await serveFunction(ctx.serve, target.fn, { method, pathname: url.pathname, search: url.search, headers, scheme, remoteAddress, readBody }, target.path)
    } catch (error) {
      return errorServed(error, onError, error instanceof ServedError ? error.headers : [])
    }
  }
}

/**
 * Function traffic straight from node:http, without building Web `Request`/`Response` objects:
 * on a hello-world function those conversions cost more than running it. Resolves false for
 * anything it leaves alone (see `createFunctionTraffic`), with the request untouched; what is not
 * function traffic then goes to the Hono app.
 */
export function createNodeFunctionListener(ctx: FunctionTrafficContext, onError: (error: unknown) => void, accept: (fn: ServedFunction) => boolean = () => true) {
  const traffic = createFunctionTraffic(ctx, onError, accept)
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const served = await traffic({
      method: req.method ?? 'GET',
      target: req.url ?? '/',
      headers: headersOf(req),
      scheme: req.socket instanceof TLSSocket ? 'https' : 'http',
      remoteAddress: forwardedClient(req) ?? req.socket.remoteAddress,
      readBody: (maxBytes) => readNodeBody(req, maxBytes),
    })
    if (served === 'not-function-traffic') notFunctionTraffic.add(req)
    if (typeof served === 'string') return false
    writeServed(res, served, req.method === 'HEAD')
    return true
  }
}

/** As Web `Headers` would: lowercase names, repeats joined with ', '. */
function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  const raw = req.rawHeaders
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    const previous = headers[name]
    headers[name] = previous === undefined ? raw[i + 1]! : `${previous}, ${raw[i + 1]!}`
  }
  return headers
}

function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array | null> {
  const declared = req.headers['content-length']
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(tooLarge(maxBytes))
  // A client that left while routing was looked up took its body with it: node:http emitted
  // 'aborted' and 'close' before anyone listened, and no 'end' or 'error' will ever come.
  if (req.destroyed) return Promise.reject(aborted())
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const fail = (error: AppError) => {
      req.off('data', onData)
      req.resume() // drain the rest so the connection can answer
      reject(error)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength
      if (total > maxBytes) return fail(tooLarge(maxBytes))
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)))
    req.once('error', () => fail(aborted()))
    // After 'end' this settles nothing; before it, the connection closed mid-body (without 'error' when nobody listened yet).
    req.once('close', () => reject(aborted()))
  })
}

/** node:http's answer for a served response (the fast HTTP/1.1 path writes the same bytes, see `http1Response`). */
export function writeServed(res: ServerResponse, served: ServedResponse, head: boolean): void {
  const body = typeof served.body === 'string' ? Buffer.from(served.body) : served.body
  const flat: string[] = []
  for (const [name, value] of served.headers) flat.push(name, value)
  if (!head && served.status !== 204 && served.status !== 304) flat.push('content-length', String(body?.byteLength ?? 0))
  res.writeHead(served.status, flat)
  res.end(head ? undefined : body)
}

function aborted(): AppError {
  return new AppError('validation_failed', 'The request body could not be read (client aborted or sent a malformed body)')
}

export function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes`)
}
