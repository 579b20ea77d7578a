import type { LogQuery } from '../../common/model/invocation-log.ts'

/** The local log filter (logs contract) as the management API's query string (`outcome`/`method` are comma lists). */
export function remoteLogQuery(query: Omit<LogQuery, 'functionId'>): Record<string, string | number | undefined> {
  const { outcomes, methods, ...rest } = query
  return { ...rest, ...(outcomes ? { outcome: outcomes.join(',') } : {}), ...(methods ? { method: methods.join(',') } : {}) }
}
