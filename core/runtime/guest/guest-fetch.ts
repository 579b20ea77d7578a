import type { HostHooks } from './host-hooks.ts'
import type { Delivery, WireFetchResponse } from './wire.ts'
import { currentInvocation } from './current-invocation.ts'
import { dropOp, startOp } from './host-ops.ts'
import { Request, readBodyBytes } from './request.ts'
import { Response } from './response.ts'

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])
/** What fetch reads of an outgoing stream body; the host caps what it sends anyway. */
const MAX_REQUEST_BODY_BYTES = 10 * 1024 * 1024

type SignalLike = { aborted: boolean; reason: unknown; addEventListener(type: string, fn: () => void, options?: unknown): void; removeEventListener(type: string, fn: () => void): void }

function signalOf(request: Request, init: unknown): SignalLike | null {
  const fromInit = init !== null && typeof init === 'object' ? (init as { signal?: unknown }).signal : undefined
  const signal = (fromInit ?? request.signal) as Partial<SignalLike> | null
  return signal && typeof signal.addEventListener === 'function' && typeof signal.aborted === 'boolean' ? (signal as SignalLike) : null
}

/**
 * `fetch`, as a host operation: the request is copied out, the host applies its egress policy and
 * limits. An AbortSignal rejects the promise with its reason and tells the host to cancel the op.
 */
export function createFetch(hooks: HostHooks) {
  return async function fetch(input: unknown, init?: unknown): Promise<Response> {
    const request = new Request(input as never, init as never)
    const signal = signalOf(request, init)
    if (signal?.aborted) throw signal.reason
    const body = await readBodyBytes(request, MAX_REQUEST_BODY_BYTES)
    if (signal?.aborted) throw signal.reason
    const headers: [string, string][] = []
    request.headers.forEach((value: string, name: string) => headers.push([name, value]))
    const invocationId = currentInvocation()
    let onAbort: (() => void) | null = null
    const delivery = await new Promise<Delivery>((resolve, reject) => {
      const opId = startOp(invocationId, resolve, (id) =>
        hooks.fetch(invocationId, id, { url: request.url, method: request.method, headers, body, redirect: request.redirect }),
      )
      if (signal) {
        onAbort = () => {
          if (dropOp(opId)) hooks.cancel(opId)
          reject(signal.reason)
        }
        signal.addEventListener('abort', onAbort, { once: true })
      }
    }).finally(() => {
      if (onAbort) signal!.removeEventListener('abort', onAbort)
    })
    if (!delivery.ok) throw new TypeError(`fetch failed: ${delivery.message}`)
    const wire = delivery.value as WireFetchResponse
    const response = new Response(NULL_BODY_STATUSES.has(wire.status) ? null : wire.body, {
      status: wire.status,
      statusText: wire.statusText,
      headers: wire.headers,
    })
    Object.defineProperty(response, 'url', { value: wire.url, enumerable: true })
    Object.defineProperty(response, 'redirected', { value: wire.redirected, enumerable: true })
    return response
  }
}
