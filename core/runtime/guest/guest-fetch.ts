import type { HostHooks } from './host-hooks.ts'
import type { Delivery, WireFetchResponse } from './wire.ts'
import { currentInvocation } from './current-invocation.ts'
import { startOp } from './host-ops.ts'
import { Request, bodyBytesOf } from './request.ts'
import { Response } from './response.ts'

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/** `fetch`, as a host operation: the request is copied out, the host applies its egress policy and limits. */
export function createFetch(hooks: HostHooks) {
  return async function fetch(input: unknown, init?: unknown): Promise<Response> {
    const request = new Request(input as never, init as never)
    const body = bodyBytesOf(request)
    const headers: [string, string][] = []
    request.headers.forEach((value: string, name: string) => headers.push([name, value]))
    const invocationId = currentInvocation()
    const delivery = await new Promise<Delivery>((resolve) => {
      startOp(invocationId, resolve, (opId) =>
        hooks.fetch(invocationId, opId, { url: request.url, method: request.method, headers, body, redirect: request.redirect }),
      )
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
