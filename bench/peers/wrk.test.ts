import { describe, expect, it } from 'vitest'
import { parseWrk } from './wrk.ts'

// Printed by Debian's wrk 4 (`wrk -t1 -c2 -d1s --latency`) against a server answering 404.
const REPORT = `Running 1s test @ http://127.0.0.1:8203/
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    93.52us  162.57us   3.03ms   97.30%
    Req/Sec    25.55k     0.95k   26.59k    50.00%
  Latency Distribution
     50%   63.00us
     75%   84.00us
     90%  121.00us
     99%  627.00us
  25372 requests in 1.00s, 3.12MB read
  Non-2xx or 3xx responses: 25372
Requests/sec:  25347.89
Transfer/sec:      3.12MB
`

describe('parseWrk', () => {
  it('reads the responses counted, the rate, the latency percentiles and the errors', () => {
    expect(parseWrk(REPORT)).toEqual({ requests: 25372, rps: 25347.89, p50Ms: 0.063, p99Ms: 0.627, errors: 25372 })
  })

  it('adds socket errors to the errors and reads latencies in ms and s', () => {
    const report = REPORT.replace('  Non-2xx or 3xx responses: 25372\n', '  Socket errors: connect 1, read 2, write 3, timeout 4\n')
      .replace('50%   63.00us', '50%    1.50ms')
      .replace('99%  627.00us', '99%    1.20s')
    expect(parseWrk(report)).toMatchObject({ requests: 25372, p50Ms: 1.5, p99Ms: 1200, errors: 10 })
  })

  it('gives NaN, not a number it made up, for a report without a count', () => {
    expect(parseWrk('wrk: connection refused').requests).toBeNaN()
  })
})
