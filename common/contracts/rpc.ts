import { AppError, ERROR_CODES, type ErrorCode, type ErrorIssue } from '../errors.ts'
import { parseOrThrow } from '../validation.ts'
import type { Contract, ServiceClient, ServiceImpl } from './contract.ts'

/** How an error crosses a transport: a code and a message, never a host stack. */
export interface WireError {
  code: ErrorCode
  message: string
  details?: ErrorIssue[]
}

/** Moves one call to the host that owns the services: IPC in the desktop app, HTTP in web mode. */
export interface Transport {
  call(service: string, method: string, input: unknown): Promise<unknown>
  /** Host → renderer notifications; returns an unsubscribe function. */
  listen(event: string, listener: (payload: unknown) => void): () => void
}

/** A host-side entry point for one service: accepts only listed methods and validates their input. */
export type Dispatcher = (method: string, input: unknown) => Promise<unknown>

export function fromService<C extends Contract>(contract: C, impl: ServiceImpl<C>): Dispatcher {
  return async (method, input) => {
    if (!Object.hasOwn(contract.methods, method)) {
      throw new AppError('not_found', `${contract.name} has no method '${method}'`)
    }
    const spec = contract.methods[method]!
    const parsed = parseOrThrow(spec.input, input ?? {}, `${contract.name}.${method} arguments`)
    const fn = (impl as Record<string, (input: unknown) => Promise<unknown>>)[method]!
    return fn(parsed)
  }
}

/** The renderer's typed client: method names come from the contract, so UI code never writes channels. */
export function toService<C extends Contract>(transport: Transport, contract: C): ServiceClient<C> {
  const client: Record<string, (input: unknown) => Promise<unknown>> = {}
  for (const name of Object.keys(contract.methods)) {
    client[name] = (input) => transport.call(contract.name, name, input ?? {})
  }
  return client as ServiceClient<C>
}

/** Maps anything thrown by a service to its wire shape; unknown errors lose their message on purpose. */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return error.toJSON()
  return { code: 'internal', message: 'Internal error' }
}

export function fromWireError(value: unknown): AppError {
  const wire = (value ?? {}) as Partial<WireError>
  const code = (ERROR_CODES as readonly string[]).includes(wire.code ?? '') ? (wire.code as ErrorCode) : 'internal'
  return new AppError(code, typeof wire.message === 'string' ? wire.message : 'Request failed', wire.details)
}

/** Routes `service.method` calls to dispatchers; unknown services are `not_found`. */
export function createRouter(dispatchers: Record<string, Dispatcher>) {
  return async (service: string, method: string, input: unknown): Promise<unknown> => {
    const dispatch = Object.hasOwn(dispatchers, service) ? dispatchers[service] : undefined
    if (!dispatch) throw new AppError('not_found', `No service '${service}'`)
    return dispatch(method, input)
  }
}
