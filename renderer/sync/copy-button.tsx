import { useState } from 'react'

export type CopyText = (text: string) => Promise<void>

export const clipboardCopy: CopyText = (text) => navigator.clipboard.writeText(text)

/** A button that copies `text` and says so; the clipboard is injectable for tests. */
export function CopyButton({ text, label, copy = clipboardCopy }: { text: string; label: string; copy?: CopyText }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  return (
    <button
      type="button"
      aria-label={label}
      onClick={() =>
        copy(text).then(
          () => setState('copied'),
          () => setState('failed'),
        )
      }
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  )
}
