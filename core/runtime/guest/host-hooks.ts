import type { GuestConsoleLevel, UrlParts, WireFetchRequest, WireOutcome } from './wire.ts'

/**
 * The host capabilities the bootstrap receives as arguments (isolated-vm Callbacks). They are
 * captured in closures and never placed on the global object. Every argument is copied and
 * validated again on the host side.
 */
export interface HostHooks {
  console(invocationId: number, level: GuestConsoleLevel, message: string): void
  complete(invocationId: number, outcome: WireOutcome): void
  /** Starts a subrequest; the host settles it later through `deliver(opId, …)`. */
  fetch(invocationId: number, opId: number, request: WireFetchRequest): void
  /** Arms a timer; the host fires it through `deliver(opId, …)` unless the deadline comes first. */
  timer(invocationId: number, opId: number, delayMs: number): void
  cancel(opId: number): void
  random(length: number): Uint8Array
  urlParse(input: string, base: string | undefined): UrlParts | null
  urlSet(href: string, component: string, value: string): UrlParts | null
}

/** Order in which the host passes the hooks to the bootstrap's install function. */
export const HOOK_NAMES = ['console', 'complete', 'fetch', 'timer', 'cancel', 'random', 'urlParse', 'urlSet'] as const satisfies readonly (keyof HostHooks)[]
