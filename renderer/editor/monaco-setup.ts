import * as monaco from 'monaco-editor'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import TsWorker from 'monaco-editor/language/typescript/ts.worker?worker'
import JsonWorker from 'monaco-editor/language/json/json.worker?worker'

// Workers are bundled by Vite from the local package: nothing is ever loaded from a CDN.
self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    if (label === 'typescript' || label === 'javascript') return new TsWorker()
    if (label === 'json') return new JsonWorker()
    return new EditorWorker()
  },
}

const compilerOptions = {
  target: monaco.typescript.ScriptTarget.ESNext,
  module: monaco.typescript.ModuleKind.ESNext,
  moduleResolution: monaco.typescript.ModuleResolutionKind.NodeJs,
  allowNonTsExtensions: true,
  strict: true,
  noEmit: true,
  checkJs: true,
  allowJs: true,
}
monaco.typescript.typescriptDefaults.setCompilerOptions(compilerOptions)
monaco.typescript.javascriptDefaults.setCompilerOptions(compilerOptions)
monaco.typescript.javascriptDefaults.setDiagnosticsOptions({ noSemanticValidation: false, noSyntaxValidation: false })

/** The handler types and globals every function sees; `Env` lists the function's own variable names. */
export function handlerTypes(envNames: readonly string[]): string {
  const envFields = envNames.map((name) => `  readonly ${name}: string`).join('\n')
  return `
interface EdgeRequest {
  method: string
  url: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  body: string | null
  json(): Promise<any>
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
}
interface EdgeResponse {
  statusCode?: number
  headers?: Record<string, string | string[]>
  body?: unknown
}
interface Env {
${envFields}
}
interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
}
/** This function's environment variables (values are set in Settings → Environment). */
declare const env: Env
`
}

let libs: monaco.IDisposable[] = []

export function setHandlerTypes(envNames: readonly string[]): void {
  for (const lib of libs) lib.dispose()
  const content = handlerTypes(envNames)
  libs = [
    monaco.typescript.typescriptDefaults.addExtraLib(content, 'file:///edgepad/globals.d.ts'),
    monaco.typescript.javascriptDefaults.addExtraLib(content, 'file:///edgepad/globals.d.ts'),
  ]
}

export { monaco }
