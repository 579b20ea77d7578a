/**
 * Which invocation the isolate is working for right now. The host passes the id on every entry
 * (invoke, or a delivery of a host operation started by that invocation); console lines and new
 * host operations are attributed to it.
 */
let current = 0

export function currentInvocation(): number {
  return current
}

export function runAs<T>(invocationId: number, fn: () => T): T {
  const previous = current
  current = invocationId
  try {
    return fn()
  } finally {
    current = previous
  }
}

/** Used by the host around module evaluation, so top-level console output joins the first invocation. */
export function setCurrentInvocation(invocationId: number): void {
  current = invocationId
}
