import { useEffect, useMemo, useState } from 'react'
import type uPlot from 'uplot'
import type { MetricsReport, Percentiles } from '../../common/model/metrics.ts'
import { OUTCOME_LABELS } from '../../common/ide/run-result.ts'
import { formatBytes } from '../response/response-view.tsx'
import { errorText, useServices } from '../services.tsx'
import type { ObserveSource } from '../log/log-source.ts'
import { UplotChart } from './uplot-chart.tsx'

const WINDOWS = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: 60 * 60_000 },
  { label: '24 hours', ms: 24 * 60 * 60_000 },
  { label: '7 days', ms: 7 * 24 * 60 * 60_000 },
]

const COUNT_SERIES = [
  { label: 'invocations', stroke: '#4ea1ff' },
  { label: 'errors', stroke: '#ff6b6b' },
]
const LATENCY_SERIES = [
  { label: 'p50 ms', stroke: '#7bd88f' },
  { label: 'p95 ms', stroke: '#fcd34d' },
  { label: 'p99 ms', stroke: '#ff6b6b' },
]
const CPU_SERIES = LATENCY_SERIES.map((s) => ({ ...s, label: s.label.replace('ms', 'CPU ms') }))
const MEMORY_SERIES = LATENCY_SERIES.map((s) => ({ ...s, label: s.label.replace('ms', 'MB') }))
const FAILED_OUTCOMES = ['runtime_error', 'timeout', 'memory_limit', 'invalid_response', 'response_too_large', 'compile_error', 'internal_error'] as const
const OUTCOME_COLORS = ['#ff6b6b', '#fcd34d', '#c084fc', '#f97316', '#22d3ee', '#a3a3a3', '#f472b6']
const OUTCOME_SERIES = FAILED_OUTCOMES.map((kind, i) => ({ label: kind, stroke: OUTCOME_COLORS[i]! }))

const MB = 1024 * 1024
const three = (p: Percentiles | null, scale = 1) => [p ? p.p50 / scale : null, p ? p.p95 / scale : null, p ? p.p99 / scale : null]

function pct(p: Percentiles | null, format: (n: number) => string): string {
  return p ? `p50 ${format(p.p50)} · p95 ${format(p.p95)} · p99 ${format(p.p99)}` : '—'
}

/** Invocations, errors and latency percentiles over a window; refetches whenever an invocation is logged. */
export function MetricsPanel({ functionId, refreshKey, source }: { functionId: string; refreshKey: number; source?: ObserveSource }) {
  const { metrics } = useServices()
  const get = source ? source.getMetrics : metrics.get
  const [windowMs, setWindowMs] = useState(WINDOWS[1]!.ms)
  const [report, setReport] = useState<MetricsReport | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    const to = Date.now() + 60_000
    get({ functionId, from: to - windowMs, to }).then(
      (r) => live && (setReport(r), setError(null)),
      (e: unknown) => live && setError(errorText(e)),
    )
    return () => {
      live = false
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [functionId, windowMs, refreshKey, metrics, source?.key])

  const { counts, latency, cpu, memory, outcomes } = useMemo(() => {
    const series = report?.series ?? []
    const x = series.map((p) => p.start / 1000)
    // One array per line: [p50…], [p95…], [p99…] across the buckets.
    const lines = (pick: (point: (typeof series)[number]) => (number | null)[]) => [0, 1, 2].map((i) => series.map((p) => pick(p)[i] ?? null))
    return {
      counts: [x, series.map((p) => p.count), series.map((p) => p.errorCount)] as uPlot.AlignedData,
      latency: [x, ...lines((p) => three(p.wallMs))] as uPlot.AlignedData,
      cpu: [x, ...lines((p) => three(p.cpuMs))] as uPlot.AlignedData,
      memory: [x, ...lines((p) => three(p.peakMemoryBytes, MB))] as uPlot.AlignedData,
      // Error rate by outcome kind: the share of each bucket's invocations that ended that way, in %.
      outcomes: [x, ...FAILED_OUTCOMES.map((kind) => series.map((p) => (p.count ? ((p.outcomes[kind] ?? 0) / p.count) * 100 : null)))] as uPlot.AlignedData,
    }
  }, [report])

  return (
    <div className="metrics" data-testid="metrics-panel">
      <div className="row">
        <label>
          Window{' '}
          <select aria-label="Metrics window" value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))}>
            {WINDOWS.map((w) => (
              <option key={w.ms} value={w.ms}>
                {w.label}
              </option>
            ))}
          </select>
        </label>
        {report && (
          <span className="hint" data-testid="metrics-count">
            {report.count} invocations · {(report.errorRate * 100).toFixed(1)}% errors
          </span>
        )}
      </div>
      {error && <p role="alert" className="error-text">{error}</p>}
      {!report && !error && <p className="hint" aria-busy="true">Loading…</p>}
      {report && report.count === 0 && <p className="hint">No invocations in this window yet. Run the function or its tests.</p>}
      {report && (
        <>
          <UplotChart title="Invocations over time" testId="chart-invocations" data={counts} series={COUNT_SERIES} />
          <UplotChart title="Latency (wall ms)" testId="chart-latency" data={latency} series={LATENCY_SERIES} />
          <UplotChart title="Error rate by outcome (% of invocations)" testId="chart-outcomes" data={outcomes} series={OUTCOME_SERIES} />
          <UplotChart title="CPU time (ms)" testId="chart-cpu" data={cpu} series={CPU_SERIES} />
          <UplotChart title="Peak memory (MB)" testId="chart-memory" data={memory} series={MEMORY_SERIES} />
          <div className="tiles">
            <div className="tile">
              <h4>Errors by outcome</h4>
              <ul>
                {Object.entries(report.outcomes)
                  .filter(([kind]) => kind !== 'ok')
                  .map(([kind, n]) => (
                    <li key={kind}>
                      {OUTCOME_LABELS[kind as keyof typeof OUTCOME_LABELS]}: {n}
                    </li>
                  ))}
                {Object.keys(report.outcomes).every((k) => k === 'ok') && <li>None</li>}
              </ul>
            </div>
            <div className="tile">
              <h4>CPU</h4>
              <p>{pct(report.cpuMs, (n) => `${n.toFixed(1)} ms`)}</p>
            </div>
            <div className="tile">
              <h4>Memory</h4>
              <p>{pct(report.peakMemoryBytes, formatBytes)}</p>
            </div>
            <div className="tile">
              <h4>Wall time</h4>
              <p>{pct(report.wallMs, (n) => `${n.toFixed(1)} ms`)}</p>
            </div>
          </div>
        </>
      )}
    </div>
  )
}
