import { useEffect, useImperativeHandle, useRef, type Ref } from 'react'
import type { CompileDiagnostic } from '../../common/contracts/functions-contract.ts'
import type { RuntimeLanguage } from '../../common/model/invocation.ts'
import { monaco, setHandlerTypes } from './monaco-setup.ts'

export interface CodeEditorHandle {
  revealLine(line: number, column?: number): void
  format(): void
}

interface Props {
  functionId: string
  fileName: string
  runtime: RuntimeLanguage
  value: string
  envNames: readonly string[]
  diagnostic: CompileDiagnostic | null
  onChange(code: string): void
  onSave(): void
  onRun(): void
  onPublish(): void
  ref?: Ref<CodeEditorHandle>
}

/** Monaco bound to one function: a model per function, the host's compile error shown as a marker. */
export function CodeEditor(props: Props) {
  const host = useRef<HTMLDivElement>(null)
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  const latest = useRef(props)
  latest.current = props

  useImperativeHandle(props.ref, () => ({
    revealLine(line, column = 1) {
      const editor = editorRef.current
      if (!editor) return
      editor.revealLineInCenter(line)
      editor.setPosition({ lineNumber: line, column })
      editor.focus()
    },
    format() {
      void editorRef.current?.getAction('editor.action.formatDocument')?.run()
    },
  }))

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      automaticLayout: true,
      theme: 'vs-dark',
      minimap: { enabled: false },
      fontSize: 13,
      tabSize: 2,
      scrollBeyondLastLine: false,
    })
    editorRef.current = editor
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => latest.current.onSave())
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onRun())
    // Also an action, so it is in the editor's command palette (F1); the app's capture-phase
    // listener sees Ctrl/Cmd+Shift+P first, so Monaco never gets to swallow it.
    const publishAction = editor.addAction({
      id: 'edgepad.publish',
      label: 'Publish to server…',
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyMod.Shift | monaco.KeyCode.KeyP],
      run: () => latest.current.onPublish(),
    })
    const sub = editor.onDidChangeModelContent(() => latest.current.onChange(editor.getValue()))
    // Tests drive the real editor through this handle instead of guessing at Monaco's DOM.
    ;(window as unknown as { __edgepadEditor?: unknown }).__edgepadEditor = editor
    return () => {
      publishAction.dispose()
      sub.dispose()
      editor.getModel()?.dispose()
      editor.dispose()
      editorRef.current = null
    }
  }, [])

  // One model per function and language; switching functions swaps the model.
  useEffect(() => {
    const editor = editorRef.current!
    const language = props.runtime === 'TYPESCRIPT' ? 'typescript' : 'javascript'
    const uri = monaco.Uri.parse(`file:///functions/${props.fileName}`)
    const old = editor.getModel()
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(props.value, language, uri)
    if (model !== old) {
      editor.setModel(model)
      if (old && old.uri.toString() !== uri.toString()) old.dispose()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.functionId, props.fileName, props.runtime])

  // External changes (load, replace after save elsewhere) without clobbering undo for ordinary typing.
  useEffect(() => {
    const editor = editorRef.current!
    if (editor.getValue() !== props.value) editor.setValue(props.value)
  }, [props.value])

  useEffect(() => setHandlerTypes(props.envNames), [props.envNames])

  useEffect(() => {
    const model = editorRef.current?.getModel()
    if (!model) return
    const d = props.diagnostic
    monaco.editor.setModelMarkers(
      model,
      'edgepad',
      d
        ? [{ severity: monaco.MarkerSeverity.Error, message: d.message, startLineNumber: d.line ?? 1, startColumn: d.column ?? 1, endLineNumber: d.line ?? 1, endColumn: (d.column ?? 1) + 1 }]
        : [],
    )
  }, [props.diagnostic, props.fileName])

  return <div className="code-editor" ref={host} data-testid="code-editor" role="region" aria-label="Code editor" />
}
