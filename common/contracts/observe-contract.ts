import { z } from 'zod'
import { logQuerySchema, type InvocationRecord, type LogPage } from '../model/invocation-log.ts'
import { metricsQuerySchema, type MetricsReport } from '../model/metrics.ts'
import { defineContract, method } from './contract.ts'

export const logsContract = defineContract('logs', {
  query: method(logQuerySchema).returns<LogPage>(),
  get: method(z.object({ id: z.string().min(1).max(200) }).strict()).returns<InvocationRecord>(),
})

export const metricsContract = defineContract('metrics', {
  get: method(metricsQuerySchema).returns<MetricsReport>(),
})

export interface HostStatus {
  workers: { pid: number; rssBytes: number; warm: number }[]
  storeBytes: number
  /** Function ids whose last run was within the warm window, with whether that run was a cold start. */
  lastRuns: Record<string, { at: number; coldStart: boolean }>
  /** 'desktop' inside Electron, 'web' for the browser host. */
  host: 'desktop' | 'web'
}

export const statusContract = defineContract('status', {
  get: method(z.object({}).strict()).returns<HostStatus>(),
})
