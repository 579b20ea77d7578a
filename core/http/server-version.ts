import fs from 'node:fs'

let cached: string | null = null

/** The package version the server runs from; 'unknown' when it was installed without its package.json. */
export function serverVersion(): string {
  if (cached) return cached
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    cached = typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    cached = 'unknown'
  }
  return cached
}
