import type { HostHooks } from './host-hooks.ts'
import type { GuestConsoleLevel } from './wire.ts'
import { currentInvocation } from './current-invocation.ts'
import { formatArgs } from './inspect.ts'
import { LIMITS, truncate } from './intrinsics.ts'

/** `console`, formatted inside the isolate (under the invocation's deadline) and sent to the host line by line. */
export function createConsole(hooks: HostHooks) {
  const counts = new Map<string, number>()
  const timers = new Map<string, number>()
  let indent = ''

  const emit = (level: GuestConsoleLevel, args: unknown[]) => {
    const formatted = formatArgs(args)
    const text = typeof formatted === 'string' ? formatted : '[unformattable]'
    hooks.console(currentInvocation(), level, truncate(indent ? indent + text.split('\n').join('\n' + indent) : text, LIMITS.consoleLine))
  }
  const label = (value: unknown) => (value === undefined ? 'default' : String(value))

  return {
    log: (...args: unknown[]) => emit('log', args),
    info: (...args: unknown[]) => emit('info', args),
    warn: (...args: unknown[]) => emit('warn', args),
    error: (...args: unknown[]) => emit('error', args),
    debug: (...args: unknown[]) => emit('debug', args),
    trace: (...args: unknown[]) => {
      const stack = (new Error().stack ?? '').split('\n').slice(2).join('\n')
      emit('debug', ['Trace:', ...args, '\n' + stack])
    },
    dir: (value: unknown) => emit('log', [value]),
    table: (value: unknown) => emit('log', [value]),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) emit('error', ['Assertion failed' + (args.length ? ':' : ''), ...args])
    },
    count: (name?: unknown) => {
      const key = label(name)
      const n = (counts.get(key) ?? 0) + 1
      counts.set(key, n)
      emit('log', [`${key}: ${n}`])
    },
    countReset: (name?: unknown) => void counts.delete(label(name)),
    time: (name?: unknown) => void timers.set(label(name), Date.now()),
    timeLog: (name?: unknown, ...args: unknown[]) => {
      const start = timers.get(label(name))
      if (start !== undefined) emit('log', [`${label(name)}: ${Date.now() - start}ms`, ...args])
    },
    timeEnd: (name?: unknown) => {
      const key = label(name)
      const start = timers.get(key)
      if (start === undefined) return
      timers.delete(key)
      emit('log', [`${key}: ${Date.now() - start}ms`])
    },
    group: (...args: unknown[]) => {
      if (args.length) emit('log', args)
      indent += '  '
    },
    groupEnd: () => {
      indent = indent.slice(2)
    },
  }
}
