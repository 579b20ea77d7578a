import { useMemo } from 'react'
import { lineDiff, summarize, withContext } from './line-diff.ts'

interface Props {
  /** The remote (old) side. */
  before: string
  /** The local (new) side. */
  after: string
  label: string
}

/** A text line diff: readable in any host and by screen readers; the Monaco diff is the richer view beside it. */
export function UnifiedDiff({ before, after, label }: Props) {
  const lines = useMemo(() => lineDiff(before, after), [before, after])
  const { added, removed } = summarize(lines)
  return (
    <figure className="unified-diff" aria-label={label}>
      <figcaption className="hint" data-testid="diff-summary">
        +{added} −{removed} lines
      </figcaption>
      <pre>
        {withContext(lines).map((line, i) =>
          line.kind === 'gap' ? (
            <div key={i} className="diff-gap">
              ⋯ {line.hidden} unchanged line{line.hidden === 1 ? '' : 's'}
            </div>
          ) : (
            <div key={i} className={`diff-${line.kind}`} data-kind={line.kind}>
              {line.kind === 'added' ? '+ ' : line.kind === 'removed' ? '- ' : '  '}
              {line.text}
            </div>
          ),
        )}
      </pre>
    </figure>
  )
}
