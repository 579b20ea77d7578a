/** Every error our own code raises carries one of these codes; user code failing is an outcome, not an AppError. */
export const ERROR_CODES = [
  'validation_failed',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'compile_error',
  'payload_too_large',
  'rate_limited',
  'unavailable',
  'schema_too_new',
  'schema_checksum_mismatch',
  'decryption_failed',
  'internal',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorIssue {
  path: string
  message: string
}

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorIssue[] | undefined

  constructor(code: ErrorCode, message: string, details?: ErrorIssue[]) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.details = details
  }

  /** The only shape an error crosses a process or network boundary in: no host stack. */
  toJSON(): { code: ErrorCode; message: string; details?: ErrorIssue[] } {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message }
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}
