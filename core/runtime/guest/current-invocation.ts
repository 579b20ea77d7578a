/**
 * Which invocation the isolate is working for right now. The host passes the id on every entry
 * (invoke, or a delivery of a host operation started by that invocation); console lines and new
 * host operations are attributed to it.
 */
let current = 0

export function currentInvocation(): number {
  return current
}

/**
 * Runs `fn` as `invocationId` and stays on that id afterwards: isolated-vm drains the microtask
 * queue after the host's call returns, so the continuations `fn` resolves (`await` after a timer or
 * a fetch) run after `fn` itself. Restoring the previous id would attribute their console lines
 * and host operations to nobody (and a timer armed there would never fire). The host names the
 * invocation on every entry, so the id is always right for the entry in progress.
 */
export function runAs<T>(invocationId: number, fn: () => T): T {
  current = invocationId
  return fn()
}

/** Used by the host around module evaluation, so top-level console output joins the first invocation. */
export function setCurrentInvocation(invocationId: number): void {
  current = invocationId
}
