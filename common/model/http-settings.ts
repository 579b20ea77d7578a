import { z } from 'zod'

/** Fixed-window limit per key: the client IP, or the value of one request header (e.g. an API key). */
export const rateLimitSchema = z
  .object({
    requests: z.number().int().min(1).max(1_000_000),
    windowSeconds: z.number().int().min(1).max(86_400),
    key: z
      .string()
      .max(300)
      .regex(/^(ip|header:[!#$%&'*+\-.^_`|~0-9A-Za-z]+)$/, 'key must be "ip" or "header:<name>"')
      .default('ip'),
  })
  .strict()
export type RateLimit = z.output<typeof rateLimitSchema>

/** How the server exposes a function, beyond what the runtime needs. Not versioned: takes effect at once. */
export interface FunctionHttpSettings {
  rateLimit: RateLimit | null
  /** When true, failed invocations answer with the error message and stack instead of a generic body. */
  debugResponses: boolean
}

export const DEFAULT_HTTP_SETTINGS: FunctionHttpSettings = { rateLimit: null, debugResponses: false }
