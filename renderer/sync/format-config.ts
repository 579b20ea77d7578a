import type { PublishedConfigField } from '../../common/contracts/sync-contract.ts'

export const CONFIG_LABELS: Record<PublishedConfigField, string> = {
  description: 'Description',
  runtime: 'Runtime',
  handler: 'Handler export',
  timeoutMs: 'Timeout (ms)',
  memoryMb: 'Memory (MB)',
  subdomain: 'Route subdomain',
  path: 'Route path',
  triggerType: 'Trigger',
  cronSchedule: 'Cron schedule',
  secretHeaders: 'Secret headers',
}

/** Config values as a person reads them: absent values say so instead of printing `null`. */
export function formatConfigValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)'
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)'
  return typeof value === 'string' ? value : JSON.stringify(value)
}
