import type { HostHooks } from './host-hooks.ts'
import { currentInvocation } from './current-invocation.ts'
import { dropOp, keepOp, startOp } from './host-ops.ts'

type TimerCallback = (...args: unknown[]) => void

/**
 * setTimeout/setInterval run on host timers so they respect the invocation's deadline: the host
 * never fires a timer after the invocation that armed it has ended.
 */
export function createTimers(hooks: HostHooks) {
  function arm(callback: unknown, delay: unknown, args: unknown[], repeat: boolean, name: string): number {
    if (typeof callback !== 'function') {
      throw new TypeError(`${name} requires a function callback; string code is not allowed in edge functions`)
    }
    const ms = Math.max(0, Math.min(Number(delay) || 0, 2 ** 31 - 1))
    const invocationId = currentInvocation()
    const fire = () => {
      if (repeat) {
        keepOp(id, { invocationId, settle: fire })
        hooks.timer(invocationId, id, ms)
      }
      ;(callback as TimerCallback)(...args)
    }
    const id = startOp(invocationId, fire, (opId) => hooks.timer(invocationId, opId, ms))
    return id
  }

  function clear(id: unknown): void {
    if (typeof id !== 'number') return
    if (dropOp(id)) hooks.cancel(id)
  }

  return {
    setTimeout: (callback: unknown, delay?: unknown, ...args: unknown[]) => arm(callback, delay, args, false, 'setTimeout'),
    setInterval: (callback: unknown, delay?: unknown, ...args: unknown[]) => arm(callback, delay, args, true, 'setInterval'),
    clearTimeout: clear,
    clearInterval: clear,
  }
}
