import { AppError } from '../../common/errors.ts'

/**
 * Reads a request body up to `maxBytes`, refusing early on a declared Content-Length and again
 * while streaming (a client can lie or use chunked encoding). Null when there is no body.
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<Uint8Array | null> {
  const declared = request.headers.get('content-length')
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes)
  if (!request.body) return null
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = request.body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.byteLength
      if (total > maxBytes) {
        void reader.cancel().catch(() => {})
        throw tooLarge(maxBytes)
      }
      chunks.push(value)
    }
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('validation_failed', 'The request body could not be read (client aborted or sent a malformed body)')
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)
}

/** A JSON body for the management API: capped, UTF-8, parsed; bad JSON is a 400, never a 5xx. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const bytes = await readBodyCapped(request, maxBytes)
  if (!bytes || bytes.byteLength === 0) throw new AppError('validation_failed', 'A JSON body is required', [{ path: '(root)', message: 'missing body' }])
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new AppError('validation_failed', 'The body is not valid UTF-8', [{ path: '(root)', message: 'not UTF-8' }])
  }
  try {
    // `__proto__` as an own key is legal JSON but a prototype-pollution vector for any later merge: refuse it outright.
    return JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new AppError('validation_failed', 'The body may not contain a "__proto__" key', [{ path: '__proto__', message: 'reserved key' }])
      return value
    }) as unknown
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError('validation_failed', `The body is not valid JSON: ${(error as Error).message}`, [{ path: '(root)', message: 'invalid JSON' }])
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', `The request body is larger than ${maxBytes} bytes`)
}
