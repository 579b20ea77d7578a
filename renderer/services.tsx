import { createContext, useContext, type ReactNode } from 'react'
import { CONTRACTS, type Contracts } from '../common/contracts/all-contracts.ts'
import type { ServiceClient } from '../common/contracts/contract.ts'
import { toService, type Transport } from '../common/contracts/rpc.ts'

export type Services = { [K in keyof Contracts]: ServiceClient<Contracts[K]> } & { transport: Transport }

export function createServices(transport: Transport): Services {
  return {
    transport,
    functions: toService(transport, CONTRACTS.functions),
    invoke: toService(transport, CONTRACTS.invoke),
    tests: toService(transport, CONTRACTS.tests),
    logs: toService(transport, CONTRACTS.logs),
    metrics: toService(transport, CONTRACTS.metrics),
    status: toService(transport, CONTRACTS.status),
    sync: toService(transport, CONTRACTS.sync),
  }
}

const ServicesContext = createContext<Services | null>(null)

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>
}

export function useServices(): Services {
  const services = useContext(ServicesContext)
  if (!services) throw new Error('useServices outside ServicesProvider')
  return services
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
