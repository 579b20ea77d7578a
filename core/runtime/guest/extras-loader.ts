// Loads the extras bundle on first use. The host evaluates it into this context (hook `extras`);
// the bundle hands its factory over through a global slot that only accepts a value while we are
// loading, and whose getter never reveals it, so user code can neither plant nor read the factory.
import type { Core } from './extras/core-ref.ts'
import type { Extras } from './extras/index.ts'
import type { HostHooks } from './host-hooks.ts'

let loaded: Extras | null = null
let loading = false
let factory: ((core: Core) => Extras) | null = null
let makeCore: (() => Core) | null = null
let hooks: HostHooks | null = null

export function setupExtras(global: object, hostHooks: HostHooks, core: () => Core): void {
  hooks = hostHooks
  makeCore = core
  Object.defineProperty(global, '__edgepadExtras', {
    get: () => undefined,
    set: (value: unknown) => {
      if (loading && typeof value === 'function') factory = value as (core: Core) => Extras
    },
    enumerable: false,
    configurable: false,
  })
}

export function extras(): Extras {
  if (loaded) return loaded
  loading = true
  try {
    hooks!.extras()
  } finally {
    loading = false
  }
  if (!factory) throw new Error('Edgepad internal error: the extras bundle did not load')
  loaded = factory(makeCore!())
  factory = null
  return loaded
}

export const extrasLoaded = (): boolean => loaded !== null
