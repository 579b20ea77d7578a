import { z } from 'zod'

export const TIMEOUT_MS = { min: 1000, max: 30_000, default: 10_000 } as const
export const MEMORY_MB = { min: 64, max: 512, default: 128 } as const

export const timeoutMsSchema = z
  .number({ error: 'timeoutMs must be a number of milliseconds' })
  .int('timeoutMs must be a whole number of milliseconds')
  .min(TIMEOUT_MS.min, `timeoutMs must be at least ${TIMEOUT_MS.min}`)
  .max(TIMEOUT_MS.max, `timeoutMs must be at most ${TIMEOUT_MS.max}`)

export const memoryMbSchema = z
  .number({ error: 'memoryMb must be a number of megabytes' })
  .int('memoryMb must be a whole number of megabytes')
  .min(MEMORY_MB.min, `memoryMb must be at least ${MEMORY_MB.min}`)
  .max(MEMORY_MB.max, `memoryMb must be at most ${MEMORY_MB.max}`)
