import { z } from 'zod'
import { requestSpecSchema } from '../ide/request-spec.ts'
import type { RunResult } from '../ide/run-result.ts'
import { defineContract, method } from './contract.ts'

export const invokeContract = defineContract('invoke', {
  /** Runs the function with the editor's code when given (unsaved drafts run too), logged with trigger TEST. */
  run: method(
    z
      .object({
        functionId: z.string().min(1).max(200),
        code: z.string().max(5 * 1024 * 1024).optional(),
        request: requestSpecSchema,
      })
      .strict(),
  ).returns<RunResult>(),
})
