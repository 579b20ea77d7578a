/** One line of a unified diff: kept on both sides, only in the remote (old) text, or only in the local (new) text. */
export interface DiffLine {
  kind: 'same' | 'removed' | 'added'
  text: string
  /** 1-based line numbers on each side; null on the side the line is absent from. */
  oldLine: number | null
  newLine: number | null
}

export interface DiffSummary {
  added: number
  removed: number
}

// An LCS table is quadratic; past this many cells the diff degrades to "replace the differing middle".
const MAX_CELLS = 4_000_000

const splitLines = (text: string): string[] => (text === '' ? [] : text.replace(/\r\n/g, '\n').split('\n'))

/**
 * A line diff from `oldText` (the remote) to `newText` (the local). Common head and tail are
 * trimmed first so typical edits stay cheap; the middle is a longest-common-subsequence walk.
 */
export function lineDiff(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText)
  const b = splitLines(newText)
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++

  const out: DiffLine[] = []
  for (let i = 0; i < head; i++) out.push({ kind: 'same', text: a[i]!, oldLine: i + 1, newLine: i + 1 })
  out.push(...middle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head))
  for (let i = tail; i > 0; i--) {
    out.push({ kind: 'same', text: a[a.length - i]!, oldLine: a.length - i + 1, newLine: b.length - i + 1 })
  }
  return out
}

function middle(a: string[], b: string[], offset: number): DiffLine[] {
  const n = a.length
  const m = b.length
  const out: DiffLine[] = []
  const removed = (i: number) => out.push({ kind: 'removed', text: a[i]!, oldLine: offset + i + 1, newLine: null })
  const added = (j: number) => out.push({ kind: 'added', text: b[j]!, oldLine: null, newLine: offset + j + 1 })
  if ((n + 1) * (m + 1) > MAX_CELLS) {
    for (let i = 0; i < n; i++) removed(i)
    for (let j = 0; j < m; j++) added(j)
    return out
  }
  // lcs[i][j] = LCS length of a[i..] and b[j..], flattened.
  const w = m + 1
  const lcs = new Uint32Array((n + 1) * w)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!)
    }
  }
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]!, oldLine: offset + i + 1, newLine: offset + j + 1 })
      i++
      j++
    } else if (lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!) removed(i++)
    else added(j++)
  }
  while (i < n) removed(i++)
  while (j < m) added(j++)
  return out
}

export function summarize(lines: readonly DiffLine[]): DiffSummary {
  let added = 0
  let removed = 0
  for (const l of lines) {
    if (l.kind === 'added') added++
    else if (l.kind === 'removed') removed++
  }
  return { added, removed }
}

/** Hides long unchanged runs, keeping `context` lines around each change, as `diff -u` does. */
export function withContext(lines: readonly DiffLine[], context = 3): (DiffLine | { kind: 'gap'; hidden: number })[] {
  const keep = new Array<boolean>(lines.length).fill(false)
  lines.forEach((l, idx) => {
    if (l.kind === 'same') return
    for (let k = Math.max(0, idx - context); k <= Math.min(lines.length - 1, idx + context); k++) keep[k] = true
  })
  const out: (DiffLine | { kind: 'gap'; hidden: number })[] = []
  let hidden = 0
  lines.forEach((l, idx) => {
    if (keep[idx]) {
      if (hidden) out.push({ kind: 'gap', hidden })
      hidden = 0
      out.push(l)
    } else hidden++
  })
  if (hidden) out.push({ kind: 'gap', hidden })
  return out
}
