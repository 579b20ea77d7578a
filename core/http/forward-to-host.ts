import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { FORWARDED_HEADER } from './forwarded-client.ts'

/** Per connection, not end to end: each side of the hop frames its own messages. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-connection', FORWARDED_HEADER])

const GATEWAY_ERROR = '{"error":{"code":"unavailable","message":"The server could not answer this request; try again"}}'

/**
 * What a worker's front does with requests that are not its to answer (the management API,
 * rate-limited functions, health checks): streams them to the host's private listener, tagged
 * with the client's address and the secret that proves the tag is ours, and streams the answer back.
 */
export function createForwarder(target: { port: number; secret: string }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 })
  return {
    forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
      return new Promise((resolve) => {
        const headers: string[] = []
        const raw = req.rawHeaders
        for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) headers.push(raw[i]!, raw[i + 1]!)
        headers.push(FORWARDED_HEADER, `${target.secret} ${req.socket.remoteAddress ?? 'unknown'}`)
        const upstream = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers, agent, setHost: false })
        upstream.on('response', (answer) => {
          const back: string[] = []
          const rawBack = answer.rawHeaders
          for (let i = 0; i < rawBack.length; i += 2) if (!HOP_BY_HOP.has(rawBack[i]!.toLowerCase())) back.push(rawBack[i]!, rawBack[i + 1]!)
          res.writeHead(answer.statusCode ?? 502, back)
          answer.pipe(res)
          answer.once('end', resolve)
          answer.once('error', () => {
            res.destroy()
            resolve()
          })
        })
        upstream.once('error', () => {
          if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(GATEWAY_ERROR) }).end(GATEWAY_ERROR)
          else res.destroy()
          resolve()
        })
        // A client that goes away (a followed log, say) must not leave the host streaming to nobody.
        res.once('close', () => {
          if (!upstream.destroyed && !res.writableFinished) upstream.destroy()
          resolve()
        })
        req.pipe(upstream)
      })
    },
    close(): void {
      agent.destroy()
    },
  }
}
