import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { AppError } from '../../common/errors.ts'
import { assertionSchema, testCaseInputSchema, type TestCase } from '../../common/ide/test-case.ts'
import { requestSpecSchema } from '../../common/ide/request-spec.ts'
import { parseOrThrow } from '../../common/validation.ts'

const fileSchema = z.object({
  version: z.literal(1),
  cases: z.array(
    z.object({
      id: z.string(),
      functionId: z.string(),
      name: z.string(),
      request: requestSpecSchema,
      assertions: z.array(assertionSchema),
      createdAt: z.number(),
      updatedAt: z.number(),
    }),
  ),
})

export interface TestCaseFiles {
  list(functionId: string): TestCase[]
  save(functionId: string, input: z.output<typeof testCaseInputSchema>): TestCase
  delete(functionId: string, caseId: string): void
  deleteAll(functionId: string): void
}

/**
 * Test cases live as one JSON file per function in the data dir (like Bruno's saved requests):
 * readable, diffable, and removed with the function.
 */
export function createTestCaseFiles(dir: string, now: () => number = Date.now): TestCaseFiles {
  const fileFor = (functionId: string) => path.join(dir, `${functionId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`)

  function read(functionId: string): TestCase[] {
    const file = fileFor(functionId)
    if (!fs.existsSync(file)) return []
    const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'))
    return parseOrThrow(fileSchema, json, `test cases ${file}`).cases
  }

  function write(functionId: string, cases: TestCase[]): void {
    fs.mkdirSync(dir, { recursive: true })
    const file = fileFor(functionId)
    const tmp = `${file}.${process.pid}.tmp`
    fs.writeFileSync(tmp, JSON.stringify({ version: 1, cases }, null, 2))
    fs.renameSync(tmp, file)
  }

  return {
    list: read,
    save(functionId, input) {
      const cases = read(functionId)
      const at = now()
      if (input.id) {
        const index = cases.findIndex((c) => c.id === input.id)
        if (index < 0) throw new AppError('not_found', `No test case ${input.id}`)
        const updated: TestCase = { ...cases[index]!, name: input.name, request: input.request, assertions: input.assertions, updatedAt: at }
        cases[index] = updated
        write(functionId, cases)
        return updated
      }
      if (cases.some((c) => c.name === input.name)) throw new AppError('conflict', `A test case named "${input.name}" already exists`)
      const created: TestCase = { id: randomUUID(), functionId, name: input.name, request: input.request, assertions: input.assertions, createdAt: at, updatedAt: at }
      write(functionId, [...cases, created])
      return created
    },
    delete(functionId, caseId) {
      const cases = read(functionId)
      if (!cases.some((c) => c.id === caseId)) throw new AppError('not_found', `No test case ${caseId}`)
      write(
        functionId,
        cases.filter((c) => c.id !== caseId),
      )
    },
    deleteAll(functionId) {
      fs.rmSync(fileFor(functionId), { force: true })
    },
  }
}
