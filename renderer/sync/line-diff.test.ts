import { describe, expect, it } from 'vitest'
import { lineDiff, summarize, withContext } from './line-diff.ts'

const kinds = (old: string, next: string) => lineDiff(old, next).map((l) => `${l.kind[0]}${l.text}`)

describe('lineDiff', () => {
  it('marks identical texts as unchanged', () => {
    expect(summarize(lineDiff('a\nb', 'a\nb'))).toEqual({ added: 0, removed: 0 })
    expect(lineDiff('', '')).toEqual([])
  })

  it('finds a changed line in the middle with numbers on each side', () => {
    const diff = lineDiff('a\nb\nc', 'a\nB\nc')
    expect(diff).toEqual([
      { kind: 'same', text: 'a', oldLine: 1, newLine: 1 },
      { kind: 'removed', text: 'b', oldLine: 2, newLine: null },
      { kind: 'added', text: 'B', oldLine: null, newLine: 2 },
      { kind: 'same', text: 'c', oldLine: 3, newLine: 3 },
    ])
  })

  it('keeps the longest common subsequence across insertions and deletions', () => {
    expect(kinds('x\na\ny\nb\nz', 'a\nb\nq')).toEqual(['rx', 'sa', 'ry', 'sb', 'rz', 'aq'])
    expect(summarize(lineDiff('', 'one\ntwo'))).toEqual({ added: 2, removed: 0 })
    expect(summarize(lineDiff('one\r\ntwo', 'one\ntwo'))).toEqual({ added: 0, removed: 0 })
  })

  it('collapses long unchanged runs around changes', () => {
    const old = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')
    const next = old.replace('l10', 'L10')
    const shown = withContext(lineDiff(old, next), 2)
    expect(shown[0]).toEqual({ kind: 'gap', hidden: 8 })
    expect(shown.filter((l) => l.kind !== 'gap')).toHaveLength(6)
    expect(shown.at(-1)).toEqual({ kind: 'gap', hidden: 7 })
  })
})
