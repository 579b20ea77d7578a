import { deserialize, serialize } from 'node:v8'
import { AppError } from '../../common/errors.ts'
import type { NewInvocation } from '../../common/model/invocation-log.ts'
import { toWire, type WireInvocation } from './invocation-wire.ts'

/**
 * Log rows packed by the process that served them (a worker's HTTP front): the payload is the
 * rows' wire form as one V8-serialized buffer, so the host relays bytes to its writer thread and
 * only unpacks them there, instead of decoding every row off IPC and encoding it again.
 * `ids` and `functionIds` stay readable for the host (acknowledgements, redaction rules).
 */
export interface PackedInvocations {
  ids: string[]
  functionIds: string[]
  payload: Uint8Array
}

/** Each invocation has passed `invalidInvocationReason` and carries its id. */
export function packInvocations(invocations: readonly (NewInvocation & { id: string })[]): PackedInvocations {
  return {
    ids: invocations.map((inv) => inv.id),
    functionIds: invocations.map((inv) => inv.functionId),
    payload: serialize(invocations.map(toWire)),
  }
}

const WIRE_LENGTH = 22

/** The rows of a pack, shape-checked: a pack comes from another process. */
export function unpackInvocations(packed: PackedInvocations): WireInvocation[] {
  let rows: unknown
  try {
    rows = deserialize(packed.payload)
  } catch {
    throw new AppError('validation_failed', 'A packed invocation batch could not be decoded')
  }
  if (!Array.isArray(rows) || rows.length !== packed.ids.length || !rows.every((row, i) => Array.isArray(row) && row.length === WIRE_LENGTH && row[0] === packed.ids[i] && row[1] === packed.functionIds[i])) {
    throw new AppError('validation_failed', 'A packed invocation batch does not match its ids')
  }
  return rows as WireInvocation[]
}
