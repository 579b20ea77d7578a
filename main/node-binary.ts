import { existsSync } from 'node:fs'
import path from 'node:path'

/**
 * Where the runtime's worker processes come from. They need a plain Node 24 (Electron's own binary
 * cannot load isolated-vm's prebuilt addon) and a plain-JS entry that Node can read from disk
 * (not from inside app.asar). Development, tests and packaged builds all resolve them here.
 */
export interface RuntimeHostLookup {
  /** The repository root in development; `resources/app.asar` in a packaged app. */
  appRoot: string
  /** `process.resourcesPath` when packaged (Electron's `app.isPackaged`), else undefined. */
  resourcesPath?: string
  env?: Record<string, string | undefined>
  platform?: NodeJS.Platform
}

interface Candidate {
  path: string
  what: string
}

/** Where the package carries its Node (electron-builder.yml's extraResources), relative to resources/. */
export const bundledNodePath = (platform: NodeJS.Platform = process.platform) => path.join('node', 'bin', platform === 'win32' ? 'node.exe' : 'node')

export function nodeBinaryCandidates(lookup: RuntimeHostLookup): Candidate[] {
  const platform = lookup.platform ?? process.platform
  const env = lookup.env ?? process.env
  const candidates: Candidate[] = []
  if (env.EDGEPAD_NODE_PATH) candidates.push({ path: env.EDGEPAD_NODE_PATH, what: 'EDGEPAD_NODE_PATH' })
  if (lookup.resourcesPath) candidates.push({ path: path.join(lookup.resourcesPath, bundledNodePath(platform)), what: 'the Node bundled with the app' })
  candidates.push({
    path: path.join(lookup.appRoot, 'node_modules', 'node', 'bin', platform === 'win32' ? 'node.exe' : 'node'),
    what: "the `node` devDependency (npm ci)",
  })
  return candidates
}

/**
 * A plain Node 24 binary for the isolate workers: EDGEPAD_NODE_PATH, else the one bundled in the
 * app's resources (packaged), else the `node` devDependency (development and tests). An
 * EDGEPAD_NODE_PATH that names no file is an error, not a reason to quietly run another Node.
 */
export function resolveNodeBinary(lookup: RuntimeHostLookup): string {
  const candidates = nodeBinaryCandidates(lookup)
  const explicit = (lookup.env ?? process.env).EDGEPAD_NODE_PATH
  if (explicit && !existsSync(explicit)) {
    throw new Error(`EDGEPAD_NODE_PATH is set to ${explicit}, which does not exist: point it at a Node 24 binary, or unset it`)
  }
  const found = candidates.find((candidate) => existsSync(candidate.path))
  if (found) return found.path
  const looked = candidates.map((candidate) => `${candidate.path} (${candidate.what})`).join('; ')
  const fix = lookup.resourcesPath ? 'reinstall Edgepad, or set EDGEPAD_NODE_PATH to a Node 24 binary' : 'run `npm ci`, or set EDGEPAD_NODE_PATH to a Node 24 binary'
  throw new Error(`No Node 24 binary for the isolate workers. Looked for ${looked}. To fix it, ${fix}.`)
}

/**
 * The worker entry: in a package, the plain-JS build beside the asar (scripts/build-worker.ts,
 * unpacked by electron-builder.yml's asarUnpack); in development, the TypeScript source, which
 * Node 24 runs as it is.
 */
export function resolveWorkerEntry(lookup: RuntimeHostLookup): string {
  if (!lookup.resourcesPath) return path.join(lookup.appRoot, 'core', 'runtime', 'worker-main.ts')
  const entry = path.join(lookup.resourcesPath, 'app.asar.unpacked', 'out', 'worker', 'worker-main.mjs')
  // Electron's fs sees into app.asar but a plain Node does not: check the real file on disk.
  if (!existsSync(entry)) throw new Error(`The runtime worker is missing from the package: ${entry}. Reinstall Edgepad.`)
  return entry
}
