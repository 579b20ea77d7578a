import { AppError } from '../../common/errors.ts'
import type { InvocationError } from '../../common/model/invocation.ts'

/** A save refused because the code does not compile; carries where, so editors can underline it. */
export class CompileError extends AppError {
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(error: InvocationError | undefined) {
    const where = error?.line !== undefined ? ` (line ${error.line}${error.column !== undefined ? `, column ${error.column}` : ''})` : ''
    const message = error?.message ?? 'The code does not compile'
    super('compile_error', `${message}${where}`, [{ path: 'code', message }])
    this.line = error?.line
    this.column = error?.column
  }

  override toJSON() {
    return { ...super.toJSON(), line: this.line ?? null, column: this.column ?? null }
  }
}
