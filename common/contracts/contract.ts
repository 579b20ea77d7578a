import type { z } from 'zod'

/**
 * One service method: its argument is validated with `input` wherever a call crosses into a
 * privileged host (IPC main, the web host). Results come from our own host, so they are typed
 * (`output` is a phantom) rather than re-parsed on every call.
 */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I
  output?: O
}

export type MethodMap = Record<string, MethodSpec>

export interface Contract<M extends MethodMap = MethodMap> {
  /** Also the first segment of every channel / URL: unique per service. */
  name: string
  methods: M
}

export function defineContract<const N extends string, const M extends MethodMap>(name: N, methods: M): Contract<M> & { name: N } {
  return { name, methods }
}

/** `method(schema).returns<Result>()`: the input schema, and the result type without a runtime schema. */
export function method<I extends z.ZodType>(input: I): { returns<O>(): MethodSpec<I, O> } {
  return { returns: () => ({ input }) }
}

type OutputOf<S> = S extends MethodSpec<z.ZodType, infer O> ? O : never

/** What the renderer holds: every method takes the input as callers write it. */
export type ServiceClient<C extends Contract> = {
  [K in keyof C['methods']]: (input: z.input<C['methods'][K]['input']>) => Promise<OutputOf<C['methods'][K]>>
}

/** What a host implements: inputs arrive parsed (defaults applied). */
export type ServiceImpl<C extends Contract> = {
  [K in keyof C['methods']]: (input: z.output<C['methods'][K]['input']>) => Promise<OutputOf<C['methods'][K]>>
}
