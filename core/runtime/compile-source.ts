import type { FunctionSpec, InvocationError } from '../../common/model/invocation.ts'
import { transpileTypeScript } from './compile-typescript.ts'
import type { CompiledSource } from './loaded-function.ts'
import { StackMapper } from './stack-trace.ts'

export type SourceResult = { ok: true; source: CompiledSource } | { ok: false; error: InvocationError }

/** Name the function's frames carry in stack traces. */
export function filenameOf(spec: FunctionSpec): string {
  if (spec.filename) return spec.filename
  const base = spec.id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'function'
  return `${base}.${spec.runtime === 'TYPESCRIPT' ? 'ts' : 'js'}`
}

/** JavaScript goes to V8 as written (exact positions); TypeScript is type-stripped first, with a source map. */
export async function compileSource(spec: FunctionSpec): Promise<SourceResult> {
  const filename = filenameOf(spec)
  if (spec.runtime !== 'TYPESCRIPT') return { ok: true, source: { code: spec.code, mapper: new StackMapper(filename, null) } }
  const result = await transpileTypeScript(spec.code, filename)
  if (!result.ok) return { ok: false, error: { message: `SyntaxError: ${result.message}`, line: result.line, column: result.column } }
  return { ok: true, source: { code: result.code, mapper: new StackMapper(filename, result.sourceMap) } }
}
