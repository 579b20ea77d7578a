import { AppError } from '../../common/errors.ts'
import { fromWireError, type Transport } from '../../common/contracts/rpc.ts'

/** Web mode: POST /rpc/<service>/<method> with the token the host printed; events over SSE. */
export function httpTransport(token: string, fetchImpl: typeof fetch = (...args) => fetch(...args)): Transport {
  let source: EventSource | null = null
  return {
    async call(service, method, input) {
      let response: Response
      try {
        response = await fetchImpl(`/rpc/${encodeURIComponent(service)}/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        })
      } catch {
        throw new AppError('unavailable', 'The Edgepad host is not reachable; is `npm run web` still running?')
      }
      const json = (await response.json().catch(() => null)) as { result?: unknown; error?: unknown } | null
      if (!response.ok || !json || 'error' in json) throw fromWireError(json?.error ?? { code: 'internal', message: `HTTP ${response.status}` })
      return json.result
    },
    listen(event, listener) {
      source ??= new EventSource(`/events?token=${encodeURIComponent(token)}`)
      const handler = (message: MessageEvent<string>) => listener(JSON.parse(message.data))
      source.addEventListener(event, handler)
      return () => source?.removeEventListener(event, handler)
    },
  }
}

/** Takes `?token=` from the address once, keeps it for reloads of this tab, and removes it from the URL bar. */
export function takeToken(): string {
  const url = new URL(window.location.href)
  const fromUrl = url.searchParams.get('token')
  if (fromUrl) {
    sessionStorage.setItem('edgepad.token', fromUrl)
    url.searchParams.delete('token')
    window.history.replaceState(null, '', url.pathname + url.search + url.hash)
    return fromUrl
  }
  return sessionStorage.getItem('edgepad.token') ?? ''
}
