import type { WireError } from './wire.ts'

/**
 * Turns anything a function threw into a plain error description. The thrown value may be null, a
 * Symbol, a Proxy, or an object whose getters throw: every read is guarded, nothing is trusted.
 */
export function toWireError(thrown: unknown): WireError {
  try {
    if (thrown instanceof Error) {
      const name = safeString(read(thrown, 'name'), 'Error')
      const message = safeString(read(thrown, 'message'), '')
      const stack = read(thrown, 'stack')
      return { name, message, stack: typeof stack === 'string' ? stack : `${name}: ${message}` }
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
