import { render } from '@testing-library/react'
import type { ReactElement } from 'react'
import { vi } from 'vitest'
import type { PublishPreview, PublishResult, SyncServer } from '../../common/contracts/sync-contract.ts'
import type { FunctionRecord } from '../../common/model/function.ts'
import { ServicesProvider, type Services } from '../services.tsx'

export const SERVER: SyncServer = { id: 's1', name: 'prod', url: 'http://127.0.0.1:8787', serverVersion: '0.1.0', userName: 'ada', createdAt: 0, lastCheckedAt: 0 }

export const FN = { id: 'f1', name: 'hello', runtime: 'JAVASCRIPT', code: 'new', updatedAt: 1, activeVersion: 2 } as FunctionRecord

const CONFIG = { description: '', runtime: 'JAVASCRIPT', handler: 'default', timeoutMs: 10000, memoryMb: 128, subdomain: null, path: null, triggerType: 'HTTP', cronSchedule: null, secretHeaders: [] }

export function preview(patch: Partial<PublishPreview> = {}): PublishPreview {
  return {
    functionId: 'f1',
    serverId: 's1',
    remote: { exists: true, remoteFunctionId: 'r1', activeVersion: 3, linkedVersion: 3 },
    code: { local: 'a\nb2\nc', remote: 'a\nb\nc', diff: '' },
    configChanges: [{ field: 'timeoutMs', local: 5000, remote: 10000 }],
    envVars: { local: ['API_KEY', 'GREETING'], remote: ['GREETING', 'OLD'], added: ['API_KEY'], removed: ['OLD'] },
    referencedEnvVars: ['API_KEY', 'GREETING'],
    envVarsMissingRemotely: ['API_KEY'],
    unchanged: false,
    conflict: null,
    ...patch,
  }
}

export function result(patch: Partial<PublishResult> = {}): PublishResult {
  return {
    status: 'published',
    remoteFunctionId: 'r1',
    remoteVersion: 4,
    versionCreated: true,
    publicUrls: ['http://127.0.0.1:8787/fn/r1'],
    curl: "curl -i 'http://127.0.0.1:8787/fn/r1'",
    queueItem: null,
    conflict: null,
    envVarsMissingRemotely: [],
    ...patch,
  }
}

export const conflictOf = (remoteCode: string) => ({
  linkedVersion: 3,
  remoteVersion: 5,
  local: { code: 'local code', config: CONFIG as never },
  remote: { code: remoteCode, config: { ...CONFIG, timeoutMs: 2000 } as never, envVarNames: [], version: 5 },
})

/** A sync service of vi.fn()s (override per test) behind the real provider; the other services are unused here. */
export function renderWithSync(ui: ReactElement, sync: Partial<Record<keyof Services['sync'], (...args: never[]) => unknown>>) {
  const fakeSync = {
    listServers: vi.fn(async () => [SERVER]),
    link: vi.fn(async () => ({ functionId: 'f1', links: [], pending: [] })),
    listQueue: vi.fn(async () => []),
    ...sync,
  }
  const services = { sync: fakeSync, transport: { call: vi.fn(), listen: () => () => {} } } as unknown as Services
  return { ...render(<ServicesProvider services={services}>{ui}</ServicesProvider>), sync: fakeSync }
}
