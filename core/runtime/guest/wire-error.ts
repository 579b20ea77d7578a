import type { WireError } from './wire.ts'
import { LIMITS, truncate } from './intrinsics.ts'

/**
 * Turns anything a function threw into a plain error description. The thrown value may be null, a
 * Symbol, a Proxy, or an object whose getters throw: every read is guarded, nothing is trusted.
 */
export function toWireError(thrown: unknown): WireError {
  const error = describeError(thrown)
  return { name: truncate(error.name, 200), message: truncate(error.message, LIMITS.errorMessage), stack: truncate(error.stack, LIMITS.errorStack) }
}

function describeError(thrown: unknown): WireError {
  try {
    if (thrown instanceof Error) {
      const name = safeString(read(thrown, 'name'), 'Error')
      const message = safeString(read(thrown, 'message'), '')
      const stack = read(thrown, 'stack')
      const hint = name === 'ReferenceError' ? missingApiHint(message) : ''
      const full = typeof stack === 'string' ? stack : `${name}: ${message}`
      return hint ? { name, message: message + hint, stack: full.replace(message, message + hint) } : { name, message, stack: full }
    }
  } catch {
    // A hostile Error-like value: fall through to the generic description.
  }
  const description = describe(thrown)
  return { name: 'Uncaught', message: description, stack: `Uncaught ${description}` }
}

function read(target: object, key: string): unknown {
  try {
    return (target as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

function safeString(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback
}

function describe(value: unknown): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value.length > 1000 ? value.slice(0, 1000) + '…' : value)
      case 'symbol':
        return value.toString()
      case 'bigint':
        return `${value}n`
      case 'undefined':
      case 'number':
      case 'boolean':
        return String(value)
      case 'function':
        return '[function]'
      default:
        if (value === null) return 'null'
        return `[object ${Object.prototype.toString.call(value).slice(8, -1)}]`
    }
  } catch {
    return '[uninspectable value]'
  }
}

/**
 * APIs people expect from Node or from Cloudflare's platform that Edgepad deliberately does not
 * offer. They stay undefined (so `typeof process` checks keep working); when code uses one anyway,
 * the error says it is a missing API rather than leaving a bare "is not defined".
 */
const MISSING: Record<string, string> = {
  process: 'Node.js built-ins', require: 'Node.js built-ins', Buffer: 'Node.js built-ins', module: 'Node.js built-ins',
  exports: 'Node.js built-ins', __dirname: 'Node.js built-ins', __filename: 'Node.js built-ins', global: 'Node.js built-ins',
  setImmediate: 'Node.js built-ins', caches: 'the Cache API', HTMLRewriter: 'HTMLRewriter', WebSocketPair: 'WebSockets',
}

function missingApiHint(message: string): string {
  const name = /^(\S+) is not defined$/.exec(message)?.[1]
  const what = name ? MISSING[name] : undefined
  return what ? ` (${name} is not available in Edgepad functions: they offer no ${what}; see docs/runtime-api.md)` : ''
}
