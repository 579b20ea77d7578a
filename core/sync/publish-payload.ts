import { createHash } from 'node:crypto'
import { PUBLISHED_CONFIG_FIELDS, type ConfigChange } from '../../common/contracts/sync-contract.ts'
import type { FunctionRecord, TriggerType, VersionRecord } from '../../common/model/function.ts'
import type { RuntimeLanguage } from '../../common/model/invocation.ts'
import type { RemoteFunction } from './remote-client.ts'

/** What a publish sets remotely besides code and env values (the store's field names). */
export interface PublishedConfig {
  description: string
  runtime: RuntimeLanguage
  handler: string
  timeoutMs: number
  memoryMb: number
  subdomain: string | null
  path: string | null
  triggerType: TriggerType
  cronSchedule: string | null
  secretHeaders: string[]
}

/** A publish as it leaves this machine; a queued publish stores exactly this (sealed). */
export interface PublishPayload {
  name: string
  code: string
  config: PublishedConfig
  /** Every env var name set locally (for the preview and the hash); values only for `envValues`. */
  envVarNames: string[]
  /** The values the user chose to send. */
  envValues: Record<string, string>
}

export function payloadFromFunction(fn: FunctionRecord, envValues: Record<string, string>): PublishPayload {
  return {
    name: fn.name,
    code: fn.code,
    config: {
      description: fn.description,
      runtime: fn.runtime,
      handler: fn.handler,
      timeoutMs: fn.timeoutMs,
      memoryMb: fn.memoryMb,
      subdomain: fn.subdomain,
      path: fn.path,
      triggerType: fn.triggerType,
      cronSchedule: fn.cronSchedule,
      secretHeaders: fn.secretHeaders,
    },
    envVarNames: [...fn.envVarNames].sort(),
    envValues,
  }
}

/**
 * Identity of a publish: code, config and env var names, plus a digest of the sent values (so a
 * changed value is a different publish). Used to tell a retried delivery from a new one.
 */
export function payloadHash(payload: PublishPayload): string {
  const values = Object.keys(payload.envValues)
    .sort()
    .map((name) => [name, createHash('sha256').update(payload.envValues[name]!).digest('hex')])
  return createHash('sha256')
    .update(JSON.stringify(['sync-v1', payload.code, PUBLISHED_CONFIG_FIELDS.map((f) => payload.config[f]), payload.envVarNames, values]))
    .digest('hex')
}

/** The remote ACTIVE version's config: runtime fields from the version (a rollback changes them), the rest from the function. */
export function remoteConfig(fn: RemoteFunction, active: VersionRecord | null): PublishedConfig {
  return {
    description: fn.description,
    runtime: active?.config.runtime ?? fn.runtime,
    handler: active?.config.handler ?? fn.handler,
    timeoutMs: active?.config.timeoutMs ?? fn.timeout,
    memoryMb: active?.config.memoryMb ?? fn.memory,
    subdomain: fn.subdomain,
    path: fn.path,
    triggerType: fn.triggerType,
    cronSchedule: fn.cronSchedule,
    secretHeaders: fn.secretHeaders,
  }
}

export function configChanges(local: PublishedConfig, remote: PublishedConfig | null): ConfigChange[] {
  return PUBLISHED_CONFIG_FIELDS.filter((field) => !remote || JSON.stringify(local[field]) !== JSON.stringify(remote[field])).map((field) => ({
    field,
    local: local[field],
    remote: remote ? remote[field] : null,
  }))
}

/** The management API's field names (`timeout`, `memory`). */
export function apiFields(config: Partial<PublishedConfig>): Record<string, unknown> {
  const { timeoutMs, memoryMb, ...rest } = config
  return { ...rest, ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}), ...(memoryMb !== undefined ? { memory: memoryMb } : {}) }
}
