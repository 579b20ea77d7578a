import { AppError } from '../../common/errors.ts'
import type { ServiceImpl } from '../../common/contracts/contract.ts'
import type { testsContract } from '../../common/contracts/tests-contract.ts'
import { evaluateAssertions } from '../../common/ide/evaluate-assertions.ts'
import type { Store } from '../store/repos.ts'
import type { FunctionRunner } from './function-runner.ts'
import type { TestCaseFiles } from './test-case-file.ts'

export function createTestsService(deps: { store: Store; runner: FunctionRunner; files: TestCaseFiles }): ServiceImpl<typeof testsContract> {
  // Every call names a function that must exist: a stale id from the renderer is not_found, not an empty list.
  const ensure = (functionId: string) => deps.store.functions.get(functionId)
  return {
    async list({ functionId }) {
      await ensure(functionId)
      return deps.files.list(functionId)
    },
    async save({ functionId, testCase }) {
      await ensure(functionId)
      return deps.files.save(functionId, testCase)
    },
    async delete({ functionId, caseId }) {
      await ensure(functionId)
      deps.files.delete(functionId, caseId)
      return { deleted: true }
    },
    async run({ functionId, caseId, code }) {
      await ensure(functionId)
      const testCase = deps.files.list(functionId).find((c) => c.id === caseId)
      if (!testCase) throw new AppError('not_found', `No test case ${caseId}`)
      const run = await deps.runner.run(functionId, testCase.request, code)
      const assertions = evaluateAssertions(testCase.assertions, run)
      return { caseId, passed: assertions.every((a) => a.passed), assertions, run }
    },
  }
}
