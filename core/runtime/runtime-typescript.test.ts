import { describe, expect, it } from 'vitest'
import { json, useRuntime } from './runtime.test-helper.ts'

const rt = useRuntime()
const TS = { runtime: 'TYPESCRIPT' as const, filename: 'api.ts' }

describe('TypeScript functions', () => {
  it('are type-stripped and run', async () => {
    const result = await rt.run(
      `interface Req { path: string; query: Record<string, string> }
      type Out = { statusCode: number; body: { greeting: string } }
      enum Mood { Happy = 'happy' }
      export default async function handler(request: Req): Promise<Out> {
        const name: string = request.query.name ?? 'world'
        return { statusCode: 200, body: { greeting: \`hello \${name}, \${Mood.Happy}\` } }
      }`,
      { path: '/', query: { name: 'ts' } },
      TS,
    )
    expect(result.outcome).toBe('ok')
    expect(json(result)).toEqual({ greeting: 'hello ts, happy' })
  })

  it('a syntax error is a compile_error with the line and column in the .ts source', async () => {
    const result = await rt.run(`type A = string\n\nexport default function handler(): A {\n  return 'x' +\n}\n`, {}, TS)
    expect(result.outcome).toBe('compile_error')
    expect(result.error).toMatchObject({ line: 5, column: 1 })
    expect(result.error?.message).toMatch(/api\.ts:5:1/)
  })

  it('runtime_error stack traces point at the original TypeScript lines', async () => {
    const result = await rt.run(
      `type User = {
  name: string
  age: number
}

function check(user: User): void {
  if (user.age < 0) throw new RangeError(\`bad age for \${user.name}\`)
}

export default async function handler(): Promise<string> {
  const user: User = { name: 'ada', age: -1 }
  check(user)
  return 'unreachable'
}
`,
      {},
      TS,
    )
    expect(result.outcome).toBe('runtime_error')
    expect(result.error?.message).toBe('RangeError: bad age for ada')
    expect(result.error).toMatchObject({ line: 7, column: 27 })
    const frames = result.error!.stack!.split('\n').slice(1)
    expect(frames[0]).toMatch(/at check \(api\.ts:7:27\)/)
    expect(frames[1]).toMatch(/at handler \(api\.ts:12:3\)/)
    expect(frames).toHaveLength(2)
  })

  it('errors thrown while the module loads are runtime_errors with mapped positions', async () => {
    const result = await rt.run(`const limit: number = 3\nif (limit > 2) throw new Error('boot failed')\nexport default () => 'x'\n`, {}, TS)
    expect(result.outcome).toBe('runtime_error')
    expect(result.error?.message).toBe('Error: boot failed')
    expect(result.error?.line).toBe(2)
  })
})
