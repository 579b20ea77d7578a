import type ivm from 'isolated-vm'
import { extrasBundle } from './guest-bundle.ts'

/** V8's code cache for the extras bundle, shared by every isolate of this process. */
let cachedData: ivm.ExternalCopy<ArrayBuffer> | undefined

/**
 * Host side of the guest's `extras` hook: evaluates the extras bundle into the calling context.
 * Runs re-entrantly, from inside the guest's synchronous call, so the guest gets its classes on
 * the same line that first used them. The guest hands the result to itself (extras-loader.ts).
 */
export function evaluateExtras(isolate: ivm.Isolate, context: ivm.Context): void {
  const script: ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer> } = isolate.compileScriptSync(extrasBundle(), {
    filename: 'edgepad:extras',
    ...(cachedData ? { cachedData } : { produceCachedData: true }),
  })
  if (!cachedData && script.cachedData) cachedData = script.cachedData
  try {
    script.runSync(context)
  } finally {
    script.release()
  }
}
