import type Database from 'better-sqlite3'
import type { SecretBox } from '../secrets/secret-box.ts'
import { envContext } from './env-context.ts'
import type { RedactionRules } from './invocation-row.ts'
import { BUILTIN_SECRET_HEADERS } from './redaction.ts'

/**
 * Looks up, once per batch, what to scrub for each function in it: built-in and store-wide secret
 * headers, the function's own listed headers, and its current env values (decrypted in memory
 * only). Read fresh every batch so a changed env var is redacted from the next batch on, even
 * when another process changed it.
 */
export function createRedactionRulesLookup(
  db: Database.Database,
  box: SecretBox,
  extraSecretHeaders: readonly string[],
): (functionIds: Iterable<string>) => Map<string, RedactionRules> {
  const base = [...BUILTIN_SECRET_HEADERS, ...extraSecretHeaders.map((h) => h.toLowerCase())]
  const headersOf = db.prepare<[string], { secret_headers: string }>('SELECT secret_headers FROM functions WHERE id = ?')
  const envOf = db.prepare<[string], { name: string; sealed: Buffer }>('SELECT name, sealed FROM function_env_vars WHERE function_id = ?')
  return (functionIds) => {
    const out = new Map<string, RedactionRules>()
    for (const id of functionIds) {
      if (out.has(id)) continue
      const row = headersOf.get(id)
      const listed = row ? (JSON.parse(row.secret_headers) as string[]) : []
      const values: string[] = []
      for (const { name, sealed } of envOf.all(id)) values.push(Buffer.from(box.decrypt(sealed, envContext(id, name))).toString('utf8'))
      out.set(id, { secretHeaders: new Set([...base, ...listed]), secretValues: values })
    }
    return out
  }
}
