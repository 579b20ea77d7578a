import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * A plain Node 24 for the isolate workers: Electron's own binary cannot load isolated-vm (ABI).
 * EDGEPAD_NODE_PATH wins; in development it is the `node` devDependency's binary.
 */
export function resolveNodeBinary(appRoot: string, env: Record<string, string | undefined> = process.env): string {
  const candidates = [env.EDGEPAD_NODE_PATH, path.join(appRoot, 'node_modules/node/bin/node'), path.join(appRoot, 'node_modules/.bin/node')]
  for (const candidate of candidates) if (candidate && existsSync(candidate)) return candidate
  throw new Error(`No Node 24 binary for the isolate workers; set EDGEPAD_NODE_PATH (looked in ${candidates.filter(Boolean).join(', ')})`)
}
