import { describe, expect, it } from 'vitest'
import { envReferences } from './env-references.ts'
import { unifiedDiff } from './unified-diff.ts'

describe('unifiedDiff', () => {
  it('is empty for equal text and shows a changed line with context', () => {
    expect(unifiedDiff('a\nb', 'a\nb')).toBe('')
    const lines = Array.from({ length: 20 }, (_, i) => `line ${i}`)
    const changed = [...lines]
    changed[10] = 'LINE 10'
    expect(unifiedDiff(lines.join('\n'), changed.join('\n'))).toBe(
      ['--- remote', '+++ local', '@@ -8,7 +8,7 @@', ' line 7', ' line 8', ' line 9', '-line 10', '+LINE 10', ' line 11', ' line 12', ' line 13', ''].join('\n'),
    )
  })

  it('makes separate hunks for distant changes and handles additions at the end', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `l${i}`)
    const changed = [...lines]
    changed[2] = 'x'
    changed.push('added')
    const diff = unifiedDiff(lines.join('\n'), changed.join('\n'))
    expect(diff.match(/^@@/gm)).toHaveLength(2)
    expect(diff).toContain('+added')
    expect(unifiedDiff('', 'new')).toContain('+new')
  })
})

describe('envReferences', () => {
  it('finds dotted, bracketed, get() and destructured names', () => {
    const code = `export default { fetch(req, env) { const { DB_URL, REGION: r } = env; return env.API_KEY + env['SECRET'] + env.get("OTHER") + ctx.env.X } }`
    expect(envReferences(code)).toEqual(['API_KEY', 'DB_URL', 'OTHER', 'REGION', 'SECRET', 'X'])
  })
})
