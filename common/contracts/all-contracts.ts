import { functionsContract } from './functions-contract.ts'
import { invokeContract } from './invoke-contract.ts'
import { logsContract, metricsContract, statusContract } from './observe-contract.ts'
import { syncContract } from './sync-contract.ts'
import { testsContract } from './tests-contract.ts'

/** Every service the renderer may call; hosts register exactly these. */
export const CONTRACTS = {
  functions: functionsContract,
  invoke: invokeContract,
  tests: testsContract,
  logs: logsContract,
  metrics: metricsContract,
  status: statusContract,
  sync: syncContract,
} as const

export type Contracts = typeof CONTRACTS

/** Host → renderer notifications. */
/** `syncChanged` carries a SyncChangedEvent (sync-contract.ts): servers, links or the publish queue changed. */
export const EVENTS = { invocationLogged: 'invocationLogged', syncChanged: 'syncChanged' } as const
export interface InvocationLoggedEvent {
  functionId: string
  invocationId: string
}
