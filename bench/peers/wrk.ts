import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface LoadResult {
  /** Responses wrk counted in the run. */
  requests: number
  rps: number
  p50Ms: number
  p99Ms: number
  errors: number
}

/** Runs wrk (one thread, fixed connections and duration) in its own process and parses its report. */
export function runWrk(url: string, connections: number, seconds: number, method: string, body: string | undefined, dir: string): Promise<LoadResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s']
  if (method !== 'GET' || body) {
    const script = join(dir, `wrk-${method}.lua`)
    const lua = `wrk.method = ${JSON.stringify(method)}\nwrk.headers["content-type"] = "application/json"\n${body ? `wrk.body = ${luaString(body)}\n` : ''}`
    writeFileSync(script, lua)
    args.push('-s', script)
  }
  args.push(url)
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { timeout: (seconds + 30) * 1000 }, (error, stdout) => {
      if (error) return reject(new Error(`wrk failed: ${error.message}\n${stdout}`))
      resolve(parseWrk(stdout))
    })
  })
}

function luaString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
}

export function parseWrk(output: string): LoadResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? NaN)
  const requests = Number(/^\s*(\d+) requests in /m.exec(output)?.[1] ?? NaN)
  const latency = (pct: string) => {
    const match = new RegExp(`^\\s+${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(output)
    if (!match) return NaN
    const value = Number(match[1])
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value
  }
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((n, v) => n + Number(v), 0) : 0)
  return { requests, rps, p50Ms: latency('50'), p99Ms: latency('99'), errors }
}
