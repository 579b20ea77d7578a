import { isAppError } from '../common/errors.ts'

export interface Output {
  write(text: string): unknown
}

/** Bad usage: exit code 2 with the command's usage. */
export class UsageError extends Error {}

/**
 * Runs one command body: bad usage → 2 with the usage text; an AppError (server unreachable, refused
 * token, not found...) → 1 with its message; anything else is a bug and keeps its stack.
 */
export async function cliMain(command: string, usage: string, err: Output, body: () => Promise<number>): Promise<number> {
  try {
    return await body()
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      err.write(`edgepad ${command}: ${(error as Error).message}\n\n${usage}\n`)
      return 2
    }
    if (isAppError(error)) {
      err.write(`edgepad ${command}: ${error.message}\n`)
      return 1
    }
    throw error
  }
}
