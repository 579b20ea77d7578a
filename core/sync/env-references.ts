/**
 * Env var names the code reads: `env.NAME`, `env['NAME']` / `env["NAME"]`, `env.get('NAME')`,
 * also through `ctx.env`/`this.env`. A static scan, so names built at run time are not found; it
 * only feeds a warning, never a refusal.
 */
export function envReferences(code: string): string[] {
  const names = new Set<string>()
  const patterns = [
    /\benv\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()/g,
    /\benv\s*\[\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*\]/g,
    /\benv\s*\.\s*get\s*\(\s*(['"`])([A-Za-z_][A-Za-z0-9_]*)\1\s*\)/g,
  ]
  for (const pattern of patterns) {
    for (const match of code.matchAll(pattern)) names.add(match[2] ?? match[1]!)
  }
  // `{ A, B } = env` destructuring.
  for (const match of code.matchAll(/\{([^{}]*)\}\s*=\s*(?:[A-Za-z_$][\w$]*\s*\.\s*)?env\b/g)) {
    for (const part of match[1]!.split(',')) {
      const name = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(part)?.[1]
      if (name) names.add(name)
    }
  }
  return [...names].sort()
}
