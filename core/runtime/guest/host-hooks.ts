import type { GuestConsoleLevel, PackedHeaders, UrlParts, WireBody, WireFetchRequest, WireOutcome, WireSubtleArg } from './wire.ts'

/**
 * The host capabilities the bootstrap receives as arguments (isolated-vm Callbacks). They are
 * captured in closures and never placed on the global object. Every argument is copied and
 * validated again on the host side.
 */
export interface HostHooks {
  console(invocationId: number, level: GuestConsoleLevel, message: string): void
  /**
   * How an invocation ended, as flat arguments (primitives copy several times cheaper than an
   * outcome object): \`('ok', status, headers, body)\`, or \`(kind, name, message, stack)\` for a failure.
   */
  complete(invocationId: number, kind: WireOutcome['kind'], statusOrName: number | string, headersOrMessage: PackedHeaders, bodyOrStack: WireBody): void
  /** Starts a subrequest; the host settles it later through `deliver(opId, …)`. */
  fetch(invocationId: number, opId: number, request: WireFetchRequest): void
  /** Arms a timer; the host fires it through `deliver(opId, …)` unless the deadline comes first. */
  timer(invocationId: number, opId: number, delayMs: number): void
  cancel(opId: number): void
  random(length: number): Uint8Array
  urlParse(input: string, base: string | undefined): UrlParts | null
  urlSet(href: string, component: string, value: string): UrlParts | null
  /** Evaluates the extras bundle (streams, Blob/FormData, URLPattern, events, subtle) in this context, once, on first use. */
  extras(): void
  /** Starts a crypto.subtle call; the host settles it through `deliver(opId, …)` with a SubtleResult. */
  subtle(invocationId: number, opId: number, method: string, args: WireSubtleArg[]): void
  /**
   * `ctx.waitUntil` bookkeeping: how many waitUntil promises of the invocation are still pending.
   * While it is above zero the host returns the response but keeps the invocation open (ops,
   * console) until it drops to zero or the deadline passes.
   */
  waitUntil(invocationId: number, pending: number): void
  /** UTF-8 encode (lone surrogates → U+FFFD) natively: large bodies encode ~10x faster than in the isolate. */
  utf8Encode(input: string): Uint8Array
  /** UTF-8 decode with replacement (or null when `fatal` and the bytes are not UTF-8), natively. */
  utf8Decode(bytes: Uint8Array, stripBOM: boolean, fatal: boolean): string | null
}

/** Order in which the host passes the hooks to the bootstrap's install function. */
export const HOOK_NAMES = ['console', 'complete', 'fetch', 'timer', 'cancel', 'random', 'urlParse', 'urlSet', 'extras', 'subtle', 'waitUntil', 'utf8Encode', 'utf8Decode'] as const satisfies readonly (keyof HostHooks)[]
