// AbortController / AbortSignal. `fetch` listens for 'abort' to cancel its host operation.
import { brand } from '../util.ts'
import { core } from './core-ref.ts'
import { defineHandlerAttribute, Event, EventTarget } from './events.ts'

const ALLOW = Symbol('allow')
const state = new WeakMap<AbortSignal, { aborted: boolean; reason: unknown }>()

function abortError(): Error {
  return new core.DOMException('signal is aborted without reason', 'AbortError')
}

export function signalAbort(signal: AbortSignal, reason: unknown): void {
  const s = state.get(signal)!
  if (s.aborted) return
  s.aborted = true
  s.reason = reason === undefined ? abortError() : reason
  signal.dispatchEvent(new Event('abort'))
}

export class AbortSignal extends EventTarget {
  declare onabort: ((event: Event) => void) | null

  constructor(token?: symbol) {
    if (token !== ALLOW) throw new TypeError('Illegal constructor')
    super()
    state.set(this, { aborted: false, reason: undefined })
  }
  get aborted(): boolean { return state.get(this)!.aborted }
  get reason(): unknown { return state.get(this)!.reason }
  throwIfAborted(): void {
    const s = state.get(this)!
    if (s.aborted) throw s.reason
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = new AbortSignal(ALLOW)
    signalAbort(signal, reason)
    return signal
  }

  /** Runs on a host timer, so it is bounded by the invocation's deadline like any timer. */
  static timeout(ms: number): AbortSignal {
    const signal = new AbortSignal(ALLOW)
    core.setTimeout(() => signalAbort(signal, new core.DOMException('The operation was aborted due to timeout', 'TimeoutError')), Number(ms) || 0)
    return signal
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const signal = new AbortSignal(ALLOW)
    for (const s of signals) {
      if (s.aborted) {
        signalAbort(signal, s.reason)
        break
      }
      s.addEventListener('abort', () => signalAbort(signal, s.reason), { once: true })
    }
    return signal
  }
}
brand(AbortSignal, 'AbortSignal')
defineHandlerAttribute(AbortSignal.prototype, 'abort')

export class AbortController {
  readonly signal = new AbortSignal(ALLOW)
  abort(reason?: unknown): void {
    signalAbort(this.signal, reason)
  }
}
brand(AbortController, 'AbortController')
