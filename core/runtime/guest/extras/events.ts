// DOM `Event`, `CustomEvent` and `EventTarget`: the non-DOM subset (no bubbling tree, no capture
// phase), which is what AbortSignal and user code in a server runtime rely on.
import { brand } from '../util.ts'

type Listener = { callback: unknown; once: boolean; removed: boolean }
type EventInit = { bubbles?: boolean; cancelable?: boolean; composed?: boolean }

const flags = new WeakMap<Event, { stop: boolean; canceled: boolean; target: EventTarget | null; current: EventTarget | null; dispatching: boolean }>()

export class Event {
  readonly type: string
  readonly bubbles: boolean
  readonly cancelable: boolean
  readonly composed: boolean
  readonly timeStamp = Date.now()
  readonly isTrusted = false
  static readonly NONE = 0
  static readonly CAPTURING_PHASE = 1
  static readonly AT_TARGET = 2
  static readonly BUBBLING_PHASE = 3

  constructor(type: string, init: EventInit = {}) {
    if (arguments.length === 0) throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.")
    this.type = String(type)
    this.bubbles = Boolean(init?.bubbles)
    this.cancelable = Boolean(init?.cancelable)
    this.composed = Boolean(init?.composed)
    flags.set(this, { stop: false, canceled: false, target: null, current: null, dispatching: false })
  }
  get target(): EventTarget | null { return flags.get(this)!.target }
  get srcElement(): EventTarget | null { return this.target }
  get currentTarget(): EventTarget | null { return flags.get(this)!.current }
  get defaultPrevented(): boolean { return flags.get(this)!.canceled }
  get returnValue(): boolean { return !flags.get(this)!.canceled }
  get eventPhase(): number { return flags.get(this)!.dispatching ? 2 : 0 }
  composedPath(): EventTarget[] { const t = flags.get(this)!.current; return t ? [t] : [] }
  preventDefault(): void { if (this.cancelable) flags.get(this)!.canceled = true }
  stopPropagation(): void {}
  stopImmediatePropagation(): void { flags.get(this)!.stop = true }
}
brand(Event, 'Event')

export class CustomEvent extends Event {
  readonly detail: unknown
  constructor(type: string, init: EventInit & { detail?: unknown } = {}) {
    super(type, init)
    this.detail = init?.detail ?? null
  }
}
brand(CustomEvent, 'CustomEvent')

const listeners = new WeakMap<EventTarget, Map<string, Listener[]>>()

export class EventTarget {
  constructor() {
    listeners.set(this, new Map())
  }

  addEventListener(type: string, callback: unknown, options?: boolean | { once?: boolean; signal?: { aborted: boolean; addEventListener(t: string, f: () => void): void } }): void {
    if (callback === null || callback === undefined) return
    const opts = typeof options === 'object' && options !== null ? options : {}
    if (opts.signal?.aborted) return
    const map = listeners.get(this)
    if (!map) throw new TypeError('Illegal invocation')
    const list = map.get(String(type)) ?? []
    if (list.some((l) => l.callback === callback)) return
    const entry: Listener = { callback, once: Boolean(opts.once), removed: false }
    list.push(entry)
    map.set(String(type), list)
    opts.signal?.addEventListener('abort', () => this.removeEventListener(type, callback))
  }

  removeEventListener(type: string, callback: unknown): void {
    const list = listeners.get(this)?.get(String(type))
    if (!list) return
    const index = list.findIndex((l) => l.callback === callback)
    if (index >= 0) {
      list[index]!.removed = true
      list.splice(index, 1)
    }
  }

  dispatchEvent(event: Event): boolean {
    const state = flags.get(event)
    if (!state) throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.")
    if (state.dispatching) throw new TypeError('The event is already being dispatched.')
    state.dispatching = true
    state.target = this
    state.current = this
    try {
      const list = [...(listeners.get(this)?.get(event.type) ?? [])]
      for (const l of list) {
        if (l.removed) continue
        if (l.once) this.removeEventListener(event.type, l.callback)
        try {
          if (typeof l.callback === 'function') l.callback.call(this, event)
          else (l.callback as { handleEvent(e: Event): void }).handleEvent(event)
        } catch (error) {
          // A throwing listener must not stop the others (the DOM reports it and goes on).
          void Promise.reject(error)
        }
        if (state.stop) break
      }
    } finally {
      state.dispatching = false
      state.current = null
    }
    return !state.canceled
  }
}
brand(EventTarget, 'EventTarget')

/**
 * An `on<type>` event handler attribute: like the DOM, it takes its place among the listeners
 * when it is first set (so it runs in that order), and setting it again swaps the function.
 */
export function defineHandlerAttribute(proto: object, type: string): void {
  const handlers = new WeakMap<object, unknown>()
  Object.defineProperty(proto, `on${type}`, {
    get(this: EventTarget) {
      return handlers.get(this) ?? null
    },
    set(this: EventTarget, value: unknown) {
      if (!handlers.has(this)) this.addEventListener(type, (event: Event) => {
        const fn = handlers.get(this)
        if (typeof fn === 'function') fn.call(this, event)
      })
      handlers.set(this, typeof value === 'function' ? value : null)
    },
    configurable: true,
    enumerable: true,
  })
}
