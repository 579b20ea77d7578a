import { z } from 'zod'

export const USER_ROLES = ['admin', 'user'] as const
export type UserRole = (typeof USER_ROLES)[number]

export const userCreateSchema = z
  .object({
    /** Login-style handle; unique. */
    name: z.string().regex(/^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$/, 'must be 1–64 lowercase letters, digits, ., _ or -'),
    role: z.enum(USER_ROLES).default('user'),
  })
  .strict()
export type UserCreateInput = z.input<typeof userCreateSchema>

export interface UserRecord {
  id: string
  name: string
  role: UserRole
  createdAt: number
}

export const tokenCreateSchema = z.object({ name: z.string().min(1).max(100).default('api') }).strict()
export type TokenCreateInput = z.input<typeof tokenCreateSchema>

/** A token as stored: only its hash is kept, the plaintext is shown once at creation. */
export interface ApiTokenRecord {
  id: string
  userId: string
  name: string
  createdAt: number
  lastUsedAt: number | null
  revokedAt: number | null
}
