import { parseArgs } from 'node:util'
import { CONTRACTS } from '../common/contracts/all-contracts.ts'
import { toService } from '../common/contracts/rpc.ts'
import type { TestCaseRun } from '../common/contracts/tests-contract.ts'
import type { TestCase } from '../common/ide/test-case.ts'
import { openIde } from '../core/ide/open-ide.ts'
import { cliMain, UsageError, type Output } from './cli-main.ts'
import { dataDirFrom, findLocalFunction } from './local-data.ts'

export const TEST_USAGE = `Usage: edgepad test <function> [options]

Runs the function's saved test cases (the IDE's Tests panel) on the real runtime, against its
saved code.

Options:
      --reporter <name>   table (default), junit (JUnit XML) or json
      --case <name>       Only this case (repeatable)
      --data-dir <dir>    The IDE's data dir (default EDGEPAD_IDE_DATA or ~/.edgepad/ide)
  -h, --help              Show this help

Exit code: 0 when every case passes, 1 when one fails, 2 for bad usage.`

const REPORTERS = ['table', 'junit', 'json'] as const
type Reporter = (typeof REPORTERS)[number]

export interface CaseReport {
  name: string
  passed: boolean
  durationMs: number
  status: number
  outcome: string
  failures: string[]
}

export function testCommand(argv: string[], out: Output, err: Output): Promise<number> {
  return cliMain('test', TEST_USAGE, err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        reporter: { type: 'string', default: 'table' },
        case: { type: 'string', multiple: true },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      out.write(TEST_USAGE + '\n')
      return 0
    }
    if (positionals.length !== 1) throw new UsageError(`expected one function name, got ${positionals.length}`)
    const reporter = values.reporter as Reporter
    if (!REPORTERS.includes(reporter)) throw new UsageError(`--reporter must be one of ${REPORTERS.join(', ')}`)
    const ide = await openIde({ dataDir: dataDirFrom(values['data-dir']), host: 'web', workers: 1, backgroundSync: false })
    try {
      const fn = await findLocalFunction(ide.store, positionals[0]!)
      const transport = { call: ide.call, listen: () => () => {} }
      const tests = toService(transport, CONTRACTS.tests)
      let cases = await tests.list({ functionId: fn.id })
      if (values.case) {
        const unknown = values.case.filter((name) => !cases.some((c) => c.name === name))
        if (unknown.length) throw new UsageError(`no test case named ${unknown.map((n) => `"${n}"`).join(', ')}`)
        cases = cases.filter((c) => values.case!.includes(c.name))
      }
      const reports: CaseReport[] = []
      for (const testCase of cases) reports.push(report(testCase, await tests.run({ functionId: fn.id, caseId: testCase.id })))
      const write = { table: tableReport, junit: junitReport, json: jsonReport }[reporter]
      out.write(write(fn.name, reports))
      if (cases.length === 0) err.write(`edgepad test: ${fn.name} has no test cases\n`)
      return reports.every((r) => r.passed) ? 0 : 1
    } finally {
      await ide.close()
    }
  })
}

function report(testCase: TestCase, run: TestCaseRun): CaseReport {
  return {
    name: testCase.name,
    passed: run.passed,
    durationMs: Math.round(run.run.metrics.wallMs * 10) / 10,
    status: run.run.status,
    outcome: run.run.outcome,
    failures: run.assertions.filter((a) => !a.passed).map((a) => `${describeAssertion(a.assertion)}: got ${a.actual}`),
  }
}

function describeAssertion(assertion: object): string {
  return Object.entries(assertion)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ')
}

function tableReport(fnName: string, reports: CaseReport[]): string {
  const rows = reports.map((r) => [r.passed ? 'PASS' : 'FAIL', r.name, String(r.status), r.outcome, `${r.durationMs} ms`])
  const header = ['', 'case', 'status', 'outcome', 'time']
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()
  const failures = reports.flatMap((r) => r.failures.map((f) => `  ${r.name}: ${f}`))
  const passed = reports.filter((r) => r.passed).length
  return [line(header), ...rows.map(line), '', ...(failures.length ? ['Failures:', ...failures, ''] : []), `${fnName}: ${passed}/${reports.length} passed`, ''].join('\n')
}

const xml = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)

function junitReport(fnName: string, reports: CaseReport[]): string {
  const failures = reports.filter((r) => !r.passed).length
  const seconds = (ms: number) => (ms / 1000).toFixed(3)
  const total = reports.reduce((sum, r) => sum + r.durationMs, 0)
  const cases = reports.map((r) => {
    const open = `    <testcase name="${xml(r.name)}" classname="${xml(fnName)}" time="${seconds(r.durationMs)}"`
    if (r.passed) return `${open}/>`
    const message = r.failures[0] ?? `outcome ${r.outcome}`
    return `${open}>\n      <failure message="${xml(message)}" type="assertion">${xml(r.failures.join('\n'))}</failure>\n    </testcase>`
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="edgepad" tests="${reports.length}" failures="${failures}" time="${seconds(total)}">`,
    `  <testsuite name="${xml(fnName)}" tests="${reports.length}" failures="${failures}" errors="0" time="${seconds(total)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

function jsonReport(fnName: string, reports: CaseReport[]): string {
  const passed = reports.filter((r) => r.passed).length
  return JSON.stringify({ function: fnName, passed: passed === reports.length, total: reports.length, failed: reports.length - passed, cases: reports }, null, 2) + '\n'
}
