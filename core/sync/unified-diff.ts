/** Line diff in unified format (3 lines of context), `--- remote` / `+++ local`; '' when equal. */
export function unifiedDiff(before: string, after: string, labels = { before: 'remote', after: 'local' }): string {
  if (before === after) return ''
  const a = before.split('\n')
  const b = after.split('\n')
  const ops = diffLines(a, b)
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`]
  const context = 3
  let i = 0
  while (i < ops.length) {
    if (ops[i]!.kind === ' ') {
      i++
      continue
    }
    const start = Math.max(0, i - context)
    let end = i
    // Extend the hunk while the next change is within 2*context lines.
    while (end < ops.length) {
      if (ops[end]!.kind !== ' ') {
        end++
        continue
      }
      let run = 0
      while (end + run < ops.length && ops[end + run]!.kind === ' ') run++
      if (end + run >= ops.length || run > context * 2) {
        end = Math.min(ops.length, end + context)
        break
      }
      end += run
    }
    const hunk = ops.slice(start, end)
    const aStart = ops[start]!.aLine
    const bStart = ops[start]!.bLine
    const aCount = hunk.filter((o) => o.kind !== '+').length
    const bCount = hunk.filter((o) => o.kind !== '-').length
    out.push(`@@ -${aCount ? aStart + 1 : aStart},${aCount} +${bCount ? bStart + 1 : bStart},${bCount} @@`)
    for (const op of hunk) out.push(`${op.kind}${op.text}`)
    i = end
  }
  return out.join('\n') + '\n'
}

interface Op {
  kind: ' ' | '-' | '+'
  text: string
  /** Index in `a` / `b` of this line (or of the next line, for the side it is absent from). */
  aLine: number
  bLine: number
}

/** LCS over lines after trimming the common head and tail (function code is small; O(n·m) in the middle is fine). */
function diffLines(a: string[], b: string[]): Op[] {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const am = a.slice(head, a.length - tail)
  const bm = b.slice(head, b.length - tail)
  const n = am.length
  const m = bm.length
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = am[i] === bm[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
  const ops: Op[] = []
  for (let k = 0; k < head; k++) ops.push({ kind: ' ', text: a[k]!, aLine: k, bLine: k })
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && am[i] === bm[j]) {
      ops.push({ kind: ' ', text: am[i]!, aLine: head + i, bLine: head + j })
      i++
      j++
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: '-', text: am[i]!, aLine: head + i, bLine: head + j })
      i++
    } else {
      ops.push({ kind: '+', text: bm[j]!, aLine: head + i, bLine: head + j })
      j++
    }
  }
  for (let k = 0; k < tail; k++) ops.push({ kind: ' ', text: a[a.length - tail + k]!, aLine: a.length - tail + k, bLine: b.length - tail + k })
  return ops
}
