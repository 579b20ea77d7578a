/**
 * Built-ins captured when the bootstrap runs, before any user code. Our guest code uses these on
 * the paths that decide what crosses to the host, so a function that patches String.prototype or a
 * typed array getter can only confuse itself, never make the host copy more than the caps allow.
 */
export const apply = Reflect.apply
const sliceString = String.prototype.slice
const byteLengthGetter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), 'byteLength')!.get!

export function truncate(text: string, max: number): string {
  return text.length > max ? (apply(sliceString, text, [0, max]) as string) + '… [truncated]' : text
}

/** byteLength of any typed array, immune to a redefined getter. */
export function byteLengthOf(view: ArrayBufferView): number {
  return apply(byteLengthGetter, view, []) as number
}

export const LIMITS = {
  errorMessage: 8 * 1024,
  errorStack: 32 * 1024,
  consoleLine: 16 * 1024,
  fetchBody: 10 * 1024 * 1024,
  fetchHeaders: 64 * 1024,
  url: 64 * 1024,
} as const
