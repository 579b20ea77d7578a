import { z } from 'zod'

export const hostnameSchema = z
  .string()
  .max(253)
  .transform((h) => h.toLowerCase())
  .pipe(
    z.string().regex(/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/, 'must be a hostname like api.example.com'),
  )

export const domainCreateSchema = z.object({ owner: z.string().min(1).max(200), hostname: hostnameSchema }).strict()
export type DomainCreateInput = z.input<typeof domainCreateSchema>

export interface DomainRecord {
  id: string
  owner: string
  hostname: string
  /** Published in a DNS TXT record to prove control of the hostname. */
  verificationToken: string
  verifiedAt: number | null
  createdAt: number
}
