import { useEffect, useRef } from 'react'
import { monaco } from '../editor/monaco-setup.ts'

interface Props {
  before: string
  after: string
  language: 'javascript' | 'typescript'
  label: string
}

/** Monaco's side-by-side diff (remote left, local right), read-only; its models live only as long as the view. */
export function MonacoDiff({ before, after, language, label }: Props) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const editor = monaco.editor.createDiffEditor(host.current!, {
      automaticLayout: true,
      theme: 'vs-dark',
      readOnly: true,
      originalEditable: false,
      minimap: { enabled: false },
      renderSideBySide: true,
      scrollBeyondLastLine: false,
      fontSize: 12,
    })
    // No URI: these models must never collide with the editor's file:///functions/… models.
    const original = monaco.editor.createModel(before, language)
    const modified = monaco.editor.createModel(after, language)
    editor.setModel({ original, modified })
    return () => {
      editor.dispose()
      original.dispose()
      modified.dispose()
    }
  }, [before, after, language])
  return <div className="monaco-diff" ref={host} role="region" aria-label={label} data-testid="monaco-diff" />
}
