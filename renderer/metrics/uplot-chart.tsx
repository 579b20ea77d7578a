import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'

interface Props {
  title: string
  /** x (epoch seconds) first, then one array per series. */
  data: uPlot.AlignedData
  series: { label: string; stroke: string }[]
  testId: string
  height?: number
}

/** A thin React wrapper: uPlot owns its canvas; we rebuild on series change and resize with the container. */
export function UplotChart({ title, data, series, testId, height = 180 }: Props) {
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | null>(null)

  useEffect(() => {
    const el = host.current!
    const opts: uPlot.Options = {
      title,
      width: Math.max(200, el.clientWidth),
      height,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: true, size: 4 } }))],
      axes: [{ stroke: '#aaa', grid: { stroke: '#333' } }, { stroke: '#aaa', grid: { stroke: '#333' } }],
      legend: { show: true },
    }
    plot.current = new uPlot(opts, data, el)
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }))
    observer.observe(el)
    return () => {
      observer.disconnect()
      plot.current?.destroy()
      plot.current = null
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [title, height, series.map((s) => s.label).join()])

  useEffect(() => plot.current?.setData(data), [data])

  const points = data[0]?.length ?? 0
  return <div className="chart" ref={host} data-testid={testId} data-points={points} role="img" aria-label={title} />
}
