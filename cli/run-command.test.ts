import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCommand } from './run-command.ts'

const dir = mkdtempSync(join(tmpdir(), 'edgepad-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function capture() {
  let text = ''
  return { write: (chunk: string) => (text += chunk), get text() { return text } }
}

async function run(args: string[]) {
  const out = capture()
  const err = capture()
  const code = await runCommand(args, out, err)
  return { code, out: out.text, err: err.text }
}

describe('edgepad run', () => {
  it('prints the response, console lines and metrics, exit code 0 on ok', async () => {
    const file = join(dir, 'echo.ts')
    writeFileSync(file, `export default async (req: { method: string; path: string; query: Record<string, string | string[]>; body: string | null }) => {
      console.log('called', req.query)
      return { statusCode: 201, headers: { 'x-env': env.MODE }, body: { method: req.method, path: req.path, body: req.body } }
    }`)
    const result = await run([file, '-X', 'POST', '--path', '/x', '-q', 'a=1', '-q', 'a=2', '-H', 'X-Trace: 1', '--body', '{}', '-e', 'MODE=test'])
    expect(result.err).toBe('')
    expect(result.code).toBe(0)
    expect(result.out).toMatch(/^ok · HTTP 201\n/)
    expect(result.out).toContain('x-env: test')
    expect(result.out).toContain('{"method":"POST","path":"/x","body":"{}"}')
    expect(result.out).toContain("[log] called { a: [ '1', '2' ] }")
    expect(result.out).toMatch(/── [\d.]+ ms wall · [\d.]+ ms CPU · [\d.]+ MB heap · cold ──/)
  })

  it('exits 1 on a failed outcome and shows the stack; --json prints the whole result', async () => {
    const file = join(dir, 'fail.js')
    writeFileSync(file, `export default () => { throw new Error('nope') }`)
    const human = await run([file])
    expect(human.code).toBe(1)
    expect(human.out).toMatch(/^runtime_error · HTTP 500/)
    expect(human.out).toContain('at default (fail.js:1:30)')
    const json = await run([file, '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.out)).toMatchObject({ outcome: 'runtime_error', error: { message: 'Error: nope', line: 1 } })
  })

  it('bad usage is exit code 2 with a clear message', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringMatching(/expected exactly one function file/) })
    expect(await run([join(dir, 'missing.js')])).toMatchObject({ code: 2, err: expect.stringMatching(/cannot read .*missing\.js/) })
    const file = join(dir, 'ok.js')
    writeFileSync(file, `export default () => 'ok'`)
    expect(await run([file, '--timeout', '50'])).toMatchObject({ code: 2, err: expect.stringMatching(/timeoutMs must be at least 1000/) })
    expect(await run([file, '-H', 'no-colon'])).toMatchObject({ code: 2, err: expect.stringMatching(/--header expects name: value/) })
    expect(await run([file, '--bogus'])).toMatchObject({ code: 2, err: expect.stringMatching(/Unknown option '--bogus'/) })
  })
})
