import { useEffect, type ReactNode } from 'react'

/** A modal panel over the workspace; Escape and the close button dismiss it. */
export function Dialog({ label, onClose, children, wide = false }: { label: string; onClose(): void; children: ReactNode; wide?: boolean }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose()
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [onClose])
  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-label={label} className={`dialog${wide ? ' wide' : ''}`}>
        <div className="dialog-head">
          <h2>{label}</h2>
          <button type="button" aria-label={`Close ${label}`} onClick={onClose}>
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  )
}
