import type { InvocationRecord, LogPage, LogQueryInput } from '../../common/model/invocation-log.ts'
import type { MetricsQueryInput, MetricsReport } from '../../common/model/metrics.ts'

/**
 * Where the log and metrics views read from: the local store or a linked server. Both answer in
 * the same shapes, so the views stay the same components with a different source.
 */
export interface ObserveSource {
  /** Changes whenever the source points elsewhere, so views refetch. */
  key: string
  queryLogs(query: LogQueryInput): Promise<LogPage>
  getInvocation(id: string): Promise<InvocationRecord>
  getMetrics(query: MetricsQueryInput): Promise<MetricsReport>
}
