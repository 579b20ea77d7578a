import type { z } from 'zod'
import { AppError, type ErrorIssue } from './errors.ts'

/** Validates once at a trust boundary; failure is a `validation_failed` AppError naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const details: ErrorIssue[] = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }))
  const summary = details.map((d) => `${d.path}: ${d.message}`).join('; ')
  throw new AppError('validation_failed', `Invalid ${what}: ${summary}`, details)
}
