import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(join(tmpdir(), 'edgepad-layers-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Builds one folder's real tsconfig in a scratch copy of the repo with a probe file added. */
function build(folder: string, probe: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(work, 'case-'))
  for (const item of ['package.json', 'tsconfig.base.json', 'common', 'core/runtime/function-key.ts', `${folder}/tsconfig.json`]) {
    mkdirSync(dirname(join(dir, item)), { recursive: true })
    cpSync(join(root, item), join(dir, item), { recursive: true, filter: (src) => !src.endsWith('.test.ts') })
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'))
  writeFileSync(join(dir, folder, 'layer-probe.ts'), probe)
  try {
    const output = execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', join(dir, folder)], { encoding: 'utf8' })
    return { ok: true, output }
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) }
  }
}

describe('layers are enforced by the compiler', () => {
  it('a renderer file importing core fails the build', () => {
    const result = build('renderer', `import { functionKey } from '../core/runtime/function-key.ts'\nexport const k = functionKey`)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/TS6307.*function-key\.ts.*is not listed within the file list of project/s)
  })

  it('a renderer file importing common builds', () => {
    const result = build('renderer', `import { OUTCOME_KINDS } from '../common/model/outcome.ts'\nexport const kinds = OUTCOME_KINDS`)
    expect(result.output).toBe('')
    expect(result.ok).toBe(true)
  })

  it('common cannot use Node APIs', () => {
    const result = build('common', `import { readFileSync } from 'node:fs'\nexport const read = readFileSync`)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/Cannot find module 'node:fs'/)
  })
})
