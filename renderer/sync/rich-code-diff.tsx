import { useMemo, useState } from 'react'
import type { CodeDiffProps } from './code-diff.tsx'
import { lineDiff, summarize } from './line-diff.ts'
import { MonacoDiff } from './monaco-diff.tsx'
import { UnifiedDiff } from './unified-diff.tsx'

/** The app's code diff: Monaco side by side by default, the text diff one click away. */
export function RichCodeDiff(props: CodeDiffProps) {
  const [mode, setMode] = useState<'side' | 'unified'>('side')
  const { added, removed } = useMemo(() => summarize(lineDiff(props.before, props.after)), [props.before, props.after])
  if (mode === 'unified')
    return (
      <div className="rich-diff">
        <div className="row">
          <span />
          <Toggle mode={mode} onMode={setMode} />
        </div>
        <UnifiedDiff {...props} />
      </div>
    )
  return (
    <div className="rich-diff">
      <div className="row">
        <span className="hint" data-testid="diff-summary">
          +{added} −{removed} lines · remote left, local right
        </span>
        <Toggle mode={mode} onMode={setMode} />
      </div>
      <MonacoDiff {...props} />
    </div>
  )
}

function Toggle({ mode, onMode }: { mode: 'side' | 'unified'; onMode(mode: 'side' | 'unified'): void }) {
  return (
    <button type="button" className="link" onClick={() => onMode(mode === 'side' ? 'unified' : 'side')}>
      {mode === 'side' ? 'Unified view' : 'Side-by-side view'}
    </button>
  )
}
