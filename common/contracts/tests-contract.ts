import { z } from 'zod'
import type { RunResult } from '../ide/run-result.ts'
import { testCaseInputSchema, type AssertionResult, type TestCase } from '../ide/test-case.ts'
import { defineContract, method } from './contract.ts'

const fnId = z.string().min(1).max(200)

export interface TestCaseRun {
  caseId: string
  passed: boolean
  assertions: AssertionResult[]
  run: RunResult
}

export const testsContract = defineContract('tests', {
  list: method(z.object({ functionId: fnId }).strict()).returns<TestCase[]>(),
  save: method(z.object({ functionId: fnId, testCase: testCaseInputSchema }).strict()).returns<TestCase>(),
  delete: method(z.object({ functionId: fnId, caseId: z.string().min(1).max(100) }).strict()).returns<{ deleted: true }>(),
  /** One case per call, so "run all" can show progress and stop between cases. */
  run: method(
    z.object({ functionId: fnId, caseId: z.string().min(1).max(100), code: z.string().max(5 * 1024 * 1024).optional() }).strict(),
  ).returns<TestCaseRun>(),
})
