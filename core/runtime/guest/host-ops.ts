import type { Delivery } from './wire.ts'
import { runAs } from './current-invocation.ts'

interface PendingOp {
  invocationId: number
  settle(delivery: Delivery): void
}

const pending = new Map<number, PendingOp>()
let nextOpId = 1

/** Registers a host operation; `start` tells the host about it. The op settles on `deliver`. */
export function startOp(invocationId: number, settle: (delivery: Delivery) => void, start: (opId: number) => void): number {
  const opId = nextOpId++
  pending.set(opId, { invocationId, settle })
  try {
    start(opId)
  } catch (error) {
    pending.delete(opId)
    throw error
  }
  return opId
}

/** Keeps an op registered after it settles (intervals fire more than once). */
export function keepOp(opId: number, op: PendingOp): void {
  pending.set(opId, op)
}

export function dropOp(opId: number): boolean {
  return pending.delete(opId)
}

/** Entry point the host calls when an operation settles; runs the continuation as its invocation. */
export function deliver(opId: number, delivery: Delivery): void {
  const op = pending.get(opId)
  if (!op) return
  pending.delete(opId)
  runAs(op.invocationId, () => op.settle(delivery))
}

export function opFor(opId: number): PendingOp | undefined {
  return pending.get(opId)
}
