/**
 * The functions every system runs, written once in Web-standard `export default { fetch }` form
 * (and in the seed form for Edgepad), with the request wrk sends to each.
 */
export interface Workload {
  name: string
  /** Web-standard module; `__UPSTREAM__` is replaced by the loopback upstream's URL. */
  web: string
  /** The same function in Edgepad's seed form. */
  seed: string
  method: 'GET' | 'POST'
  body?: string
}

const ITEMS = Array.from({ length: 80 }, (_, i) => ({ id: i, name: `item-${i}`, price: i * 1.25, qty: i % 5, tags: ['a', 'b', 'c'] }))
export const JSON_BODY = JSON.stringify({ customer: 'bench', items: ITEMS })

const transform = `const input = JSON.parse(text)
  const items = input.items.map((item) => ({ ...item, total: item.price * item.qty, label: item.name.toUpperCase() }))
  const out = JSON.stringify({ customer: input.customer, count: items.length, sum: items.reduce((s, i) => s + i.total, 0), items })`
// About 1 ms of V8 work on these machines.
const burn = `let x = 0
  for (let i = 0; i < 400000; i++) x = (x * 31 + i) | 0`

export const WORKLOADS: Workload[] = [
  {
    name: 'hello',
    method: 'GET',
    web: `export default { fetch() { return new Response('hi') } }`,
    seed: `export default async function handler(request) { return { statusCode: 200, body: 'hi' } }`,
  },
  {
    name: 'json-10kb',
    method: 'POST',
    body: JSON_BODY,
    web: `export default { async fetch(request) { const text = await request.text()\n  ${transform}\n  return new Response(out, { headers: { 'content-type': 'application/json' } }) } }`,
    seed: `export default async function handler(request) { const text = request.body\n  ${transform}\n  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: out } }`,
  },
  {
    name: 'cpu-1ms',
    method: 'GET',
    web: `export default { fetch() { ${burn}\n  return new Response(String(x)) } }`,
    seed: `export default async function handler() { ${burn}\n  return { statusCode: 200, body: String(x) } }`,
  },
  {
    name: 'fetch-upstream',
    method: 'GET',
    web: `export default { async fetch() { const res = await fetch('__UPSTREAM__'); return new Response(await res.text(), { headers: { 'content-type': 'application/json' } }) } }`,
    seed: `export default async function handler() { const res = await fetch('__UPSTREAM__'); return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: await res.text() } }`,
  },
]
