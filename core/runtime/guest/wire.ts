/**
 * Plain shapes that cross the isolate boundary, in both directions. Only copies of these ever
 * cross: no isolated-vm object, host function or host prototype reaches guest code.
 */

export type WireBody = string | Uint8Array | null

export interface WireRequest {
  method: string
  url: string
  path: string
  query: Record<string, string | string[]>
  headers: Record<string, string>
  body: WireBody
  /** A byte body decoded as UTF-8 by the host (native, ~10x faster than decoding in the isolate), for seed handlers. */
  text?: string
}

/**
 * How a request crosses into the isolate: the fixed fields as one JSON text (the host's native
 * JSON.stringify and the guest's JSON.parse cost a fraction of isolated-vm's structured copy of an
 * object with nested query and header records), the body and its decoded text beside it.
 */
export type WireRequestHead = [method: string, url: string, path: string, query: Record<string, string | string[]>, headers: Record<string, string>]

export interface WireResponse {
  status: number
  /** Pairs, so repeated headers such as set-cookie survive. */
  headers: [string, string][]
  body: WireBody
}

export interface WireError {
  name: string
  message: string
  stack: string
}

/**
 * Response headers as they cross to the host in the \`complete\` hook: one string of
 * \`<name length>:<name><value length>:<value>\` items. A string copies far cheaper than an array
 * of pairs, and the length prefixes keep it exact whatever the names and values hold (the host
 * validates them all again).
 */
export type PackedHeaders = string

/** How one invocation ended, as seen from inside the isolate. */
export type WireOutcome =
  | { kind: 'ok'; response: WireResponse }
  | { kind: 'runtime_error'; error: WireError }
  | { kind: 'invalid_response'; error: WireError }
  | { kind: 'response_too_large'; error: WireError }
  | { kind: 'compile_error'; error: WireError }

export type HandlerForm = 'seed' | 'fetch-object'

/** Result of attaching the user's module to the guest: which form it uses, or why it cannot run. */
export type AttachResult = { ok: true; form: HandlerForm } | { ok: false; message: string }

/** Where module evaluation stands; `pending` while top-level await has not finished. */
export type ModuleState = { state: 'pending' } | { state: 'ready'; form: HandlerForm } | { state: 'failed'; message: string }

export interface WireFetchRequest {
  url: string
  method: string
  headers: [string, string][]
  body: Uint8Array | null
  redirect: string
}

export interface WireFetchResponse {
  status: number
  statusText: string
  headers: [string, string][]
  body: Uint8Array
  url: string
  redirected: boolean
}

/** A host operation's settlement, delivered back into the isolate. */
export type Delivery = { ok: true; value: unknown } | { ok: false; message: string }

export interface UrlParts {
  href: string
  origin: string
  protocol: string
  username: string
  password: string
  host: string
  hostname: string
  port: string
  pathname: string
  search: string
  hash: string
}

export const CONSOLE_LEVELS = ['log', 'info', 'warn', 'error', 'debug'] as const
export type GuestConsoleLevel = (typeof CONSOLE_LEVELS)[number]

/** Response body cap enforced inside the isolate before anything is copied out. */
export const MAX_RESPONSE_BODY_BYTES = 10 * 1024 * 1024
export const MAX_RESPONSE_HEADER_BYTES = 64 * 1024

/** crypto.subtle arguments as they cross to the host: bytes, key handles and JSON-like values. */
export type WireSubtleArg = null | string | number | boolean | Uint8Array | { $key: number } | WireSubtleArg[] | { [key: string]: WireSubtleArg }

/** A host-side CryptoKey as the guest sees it. */
export interface SubtleKeyInfo {
  handle: number
  type: string
  extractable: boolean
  algorithm: Record<string, unknown>
  usages: string[]
}

/** What a crypto.subtle host operation settles with (errors keep their WebCrypto name). */
export type SubtleResult =
  | { value: Uint8Array | boolean | Record<string, unknown> | { $key: SubtleKeyInfo } | { $pair: [SubtleKeyInfo, SubtleKeyInfo] } }
  | { error: { name: string; message: string } }
