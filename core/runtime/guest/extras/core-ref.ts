// The extras bundle is compiled separately from the bootstrap, so classes with an identity
// (DOMException, URL) and module state (pending host operations, the current invocation) must come
// from the bootstrap's copy. The bootstrap passes them in once, when the extras are first needed.
import type { DOMException } from '../base64.ts'
import type { HostHooks } from '../host-hooks.ts'
import type { Delivery } from '../wire.ts'

export interface Core {
  hooks: HostHooks
  DOMException: typeof DOMException
  URL: new (input: string, base?: string) => { href: string; protocol: string; username: string; password: string; hostname: string; port: string; pathname: string; search: string; hash: string }
  currentInvocation(): number
  startOp(invocationId: number, settle: (delivery: Delivery) => void, start: (opId: number) => void): number
  dropOp(opId: number): boolean
  random(length: number): Uint8Array
  setTimeout(callback: () => void, ms: number): number
}

export let core: Core

export function setCore(value: Core): void {
  core = value
}
