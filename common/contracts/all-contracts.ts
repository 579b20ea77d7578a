import { functionsContract } from './functions-contract.ts'
import { invokeContract } from './invoke-contract.ts'
import { logsContract, metricsContract, statusContract } from './observe-contract.ts'
import { testsContract } from './tests-contract.ts'

/** Every service the renderer may call; hosts register exactly these. */
export const CONTRACTS = {
  functions: functionsContract,
  invoke: invokeContract,
  tests: testsContract,
  logs: logsContract,
  metrics: metricsContract,
  status: statusContract,
} as const

export type Contracts = typeof CONTRACTS

/** Host → renderer notifications. */
export const EVENTS = { invocationLogged: 'invocationLogged' } as const
export interface InvocationLoggedEvent {
  functionId: string
  invocationId: string
}
