/**
 * The upper bound of what a Node host can do: plain `node:http` doing each workload's work natively,
 * no isolate, no sandbox. Started as its own process by the peers benchmark.
 */
import { createServer } from 'node:http'

const upstream = process.env.UPSTREAM ?? ''
const port = Number(process.env.PORT)

function burn(): number {
  let x = 0
  for (let i = 0; i < 400000; i++) x = (x * 31 + i) | 0
  return x
}

createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', async () => {
    switch (req.url) {
      case '/hello':
        return res.end('hi')
      case '/json-10kb': {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        const items = input.items.map((item: { price: number; qty: number; name: string }) => ({ ...item, total: item.price * item.qty, label: item.name.toUpperCase() }))
        res.setHeader('content-type', 'application/json')
        return res.end(JSON.stringify({ customer: input.customer, count: items.length, sum: items.reduce((s: number, i: { total: number }) => s + i.total, 0), items }))
      }
      case '/cpu-1ms':
        return res.end(String(burn()))
      case '/fetch-upstream': {
        const response = await fetch(upstream)
        res.setHeader('content-type', 'application/json')
        return res.end(await response.text())
      }
      default:
        res.statusCode = 404
        res.end()
    }
  })
}).listen(port, '127.0.0.1', () => process.send?.('ready'))
