import { transform, type TransformFailure } from 'esbuild'

export type TranspileResult =
  | { ok: true; code: string; sourceMap: string }
  | { ok: false; message: string; line: number; column: number }

/**
 * Strips types with esbuild. Output stays an ES module (isolated-vm links it natively); the
 * source map lets stack traces point at the user's TypeScript lines.
 */
export async function transpileTypeScript(source: string, filename: string): Promise<TranspileResult> {
  try {
    const result = await transform(source, {
      loader: 'ts',
      format: 'esm',
      target: 'es2023',
      sourcemap: 'external',
      sourcefile: filename,
      tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: false } },
    })
    return { ok: true, code: result.code, sourceMap: result.map }
  } catch (error) {
    const first = (error as TransformFailure).errors?.[0]
    if (!first) return { ok: false, message: String(error), line: 1, column: 1 }
    const line = first.location?.line ?? 1
    const column = (first.location?.column ?? 0) + 1
    return { ok: false, message: `${first.text} (${filename}:${line}:${column})`, line, column }
  }
}
