/** The loopback upstream the fetch workload calls: a small JSON answer, as fast as Node goes. */
import { createServer } from 'node:http'

const payload = JSON.stringify({ ok: true, items: [1, 2, 3], note: 'from upstream' })
createServer((_, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(payload)
}).listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'))
