import { useEffect, useMemo, useState } from 'react'
import type uPlot from 'uplot'
import type { MetricsReport, Percentiles } from '../../common/model/metrics.ts'
import { OUTCOME_LABELS } from '../../common/ide/run-result.ts'
import { formatBytes } from '../response/response-view.tsx'
import { errorText, useServices } from '../services.tsx'
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

function pct(p: Percentiles | null, format: (n: number) => string): string {
  return p ? `p50 ${format(p.p50)} · p95 ${format(p.p95)} · p99 ${format(p.p99)}` : '—'
}

/** Invocations, errors and latency percentiles over a window; refetches whenever an invocation is logged. */
export function MetricsPanel({ functionId, refreshKey }: { functionId: string; refreshKey: number }) {
  const { metrics } = useServices()
  const [windowMs, setWindowMs] = useState(WINDOWS[1]!.ms)
  const [report, setReport] = useState<MetricsReport | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    const to = Date.now() + 60_000
    metrics.get({ functionId, from: to - windowMs, to }).then(
      (r) => live && (setReport(r), setError(null)),
      (e: unknown) => live && setError(errorText(e)),
    )
    return () => {
      live = false
    }
  }, [functionId, windowMs, refreshKey, metrics])

  const { counts, latency } = useMemo(() => {
    const series = report?.series ?? []
    const x = series.map((p) => p.start / 1000)
    return {
      counts: [x, series.map((p) => p.count), series.map((p) => p.errorCount)] as uPlot.AlignedData,
      latency: [x, series.map((p) => p.wallMs?.p50 ?? null), series.map((p) => p.wallMs?.p95 ?? null), series.map((p) => p.wallMs?.p99 ?? null)] as uPlot.AlignedData,
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
