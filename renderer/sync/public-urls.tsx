import { CopyButton, type CopyText } from './copy-button.tsx'

/** Where the published function answers, each with a copy button, and the first as a curl command. */
export function PublicUrls({ urls, curl, copy }: { urls: readonly string[]; curl: string | null; copy?: CopyText }) {
  if (urls.length === 0) return <p className="hint">No public URL yet.</p>
  return (
    <div className="public-urls" data-testid="public-urls">
      <ul aria-label="Public URLs">
        {urls.map((url) => (
          <li key={url} className="row">
            <code data-testid="public-url">{url}</code>
            <CopyButton text={url} label={`Copy ${url}`} {...(copy ? { copy } : {})} />
          </li>
        ))}
      </ul>
      {curl && (
        <div className="row">
          <code className="hint">{curl}</code>
          <CopyButton text={curl} label="Copy as curl" {...(copy ? { copy } : {})} />
        </div>
      )}
    </div>
  )
}
