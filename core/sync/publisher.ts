import { isAppError } from '../../common/errors.ts'
import type { SyncConflict } from '../../common/contracts/sync-contract.ts'
import { apiFields, configChanges, remoteConfig, type PublishedConfig, type PublishPayload } from './publish-payload.ts'
import type { RemoteClient, RemoteFunction } from './remote-client.ts'

/** The remote function as its ACTIVE version serves it (after a rollback that differs from its working code). */
export interface RemoteState {
  fn: RemoteFunction
  activeVersion: number | null
  code: string
  config: PublishedConfig
}

/**
 * Finds the remote function: by the linked id, else by name (the first publish, or a retry whose
 * create succeeded remotely but whose response was lost). Null when it does not exist.
 */
export async function readRemote(client: RemoteClient, remoteFunctionId: string | null, name: string): Promise<RemoteState | null> {
  let fn: RemoteFunction | null = null
  if (remoteFunctionId) fn = await client.getFunction(remoteFunctionId).catch(notFoundAsNull)
  fn ??= await client.findByName(name)
  if (!fn) return null
  const active = fn.activeVersion ? await client.version(fn.id, fn.activeVersion) : null
  return { fn, activeVersion: fn.activeVersion, code: active?.code ?? fn.code, config: remoteConfig(fn, active) }
}

function notFoundAsNull(error: unknown): null {
  if (isAppError(error) && error.code === 'not_found') return null
  throw error
}

export function sameContent(payload: PublishPayload, remote: RemoteState | null): boolean {
  return remote !== null && remote.code === payload.code && configChanges(payload.config, remote.config).length === 0
}

/**
 * "Edited elsewhere": the remote active version is not the one this side last synced (`baseline`;
 * null = never synced, so any existing remote function with other content). Equal content is never
 * a conflict: that is how a retried publish recognises its own earlier delivery.
 */
export function findConflict(payload: PublishPayload, remote: RemoteState | null, baseline: number | null): SyncConflict | null {
  if (!remote || sameContent(payload, remote) || remote.activeVersion === baseline) return null
  return {
    linkedVersion: baseline,
    remoteVersion: remote.activeVersion,
    local: { code: payload.code, config: payload.config },
    remote: { code: remote.code, config: remote.config, envVarNames: remote.fn.envVarNames, version: remote.activeVersion },
  }
}

export interface PushOutcome {
  status: 'published' | 'unchanged' | 'conflict'
  remote: RemoteFunction | null
  remoteVersion: number | null
  versionCreated: boolean
  conflict: SyncConflict | null
}

export interface PushOptions {
  remoteFunctionId: string | null
  /** Remote version the caller expects to be active (the link's, or what the preview showed). */
  baseline: number | null
  overwrite: boolean
}

/**
 * One delivery attempt, safe to repeat: it reads the remote state first, so a repeat after a lost
 * response finds its own content there and writes nothing new. Env values are merged
 * (`setEnvVars`), never replacing the remote's other variables.
 */
export async function pushPayload(client: RemoteClient, payload: PublishPayload, options: PushOptions): Promise<PushOutcome> {
  const remote = await readRemote(client, options.remoteFunctionId, payload.name)
  const sendsEnv = Object.keys(payload.envValues).length > 0
  if (remote && sameContent(payload, remote) && !sendsEnv) {
    return { status: 'unchanged', remote: remote.fn, remoteVersion: remote.activeVersion, versionCreated: false, conflict: null }
  }
  const conflict = findConflict(payload, remote, options.baseline)
  if (conflict && !options.overwrite) return { status: 'conflict', remote: remote?.fn ?? null, remoteVersion: remote?.activeVersion ?? null, versionCreated: false, conflict }
  if (!remote) {
    const created = await client.createFunction({ name: payload.name, code: payload.code, ...apiFields(payload.config), envVars: payload.envValues })
    return { status: 'published', remote: created, remoteVersion: created.activeVersion, versionCreated: true, conflict: null }
  }
  // Runtime fields always go with the code so the server lands on exactly this version even after a rollback.
  const { runtime, handler, timeoutMs, memoryMb } = payload.config
  const routing = Object.fromEntries(
    configChanges(payload.config, remote.config)
      .filter((c) => !['runtime', 'handler', 'timeoutMs', 'memoryMb'].includes(c.field))
      .map((c) => [c.field, c.local]),
  ) as Partial<PublishedConfig>
  const updated = await client.patchFunction(remote.fn.id, {
    code: payload.code,
    ...apiFields({ runtime, handler, timeoutMs, memoryMb, ...routing }),
    ...(sendsEnv ? { setEnvVars: payload.envValues } : {}),
  })
  return { status: 'published', remote: updated, remoteVersion: updated.activeVersion, versionCreated: updated.versionCreated ?? updated.activeVersion !== remote.activeVersion, conflict: null }
}
