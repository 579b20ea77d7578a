/** Header names whose values are always secret, in addition to any the function lists. */
export const BUILTIN_SECRET_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']

export const REDACTED = '[REDACTED]'

/**
 * Shorter values are not scrubbed from free text: an env var like `1` or `on` would otherwise
 * mangle every number and word in a log line. Secret *headers* are always redacted whole.
 */
export const MIN_REDACTED_LENGTH = 4

export interface TextRedactor {
  /** `text` with every secret in it replaced; where secrets overlap, one marker covers them all. */
  (text: string): string
  /** The length of the longest secret (0 when there is none). */
  readonly longest: number
  /**
   * For a prefix of some longer text: the redacted form of just the part of `prefix` that no
   * secret cut off by its end can reach (it stops before the last `longest - 1` characters, unless
   * a secret found whole runs into them). Keeping any more could keep the first half of a secret.
   */
  safePrefix(prefix: string): string
}

const identity: TextRedactor = Object.assign((text: string) => text, { longest: 0, safePrefix: (prefix: string) => prefix })

/**
 * Every occurrence of every secret (overlapping ones too) becomes one span, overlapping spans are
 * merged, and each merged span becomes one marker. Output stops at input position `end`, after
 * any span that starts before it.
 */
function redactUntil(text: string, values: readonly string[], end: number): string {
  let spans: [number, number][] | null = null
  for (const value of values) {
    for (let i = text.indexOf(value); i !== -1 && i < end; i = text.indexOf(value, i + 1)) (spans ??= []).push([i, i + value.length])
  }
  if (!spans) return end >= text.length ? text : text.slice(0, end)
  spans.sort((a, b) => a[0] - b[0])
  let out = ''
  let at = 0
  let open = spans[0]!
  const close = () => {
    out += text.slice(at, open[0]) + REDACTED
    at = open[1]
  }
  for (let i = 1; i < spans.length; i++) {
    const span = spans[i]!
    if (span[0] < open[1]) open = [open[0], Math.max(open[1], span[1])]
    else {
      close()
      open = span
    }
  }
  close()
  return at < end ? out + text.slice(at, end) : out
}

/**
 * Replaces every occurrence of each secret. Secrets are found in the text as given, never in text
 * a replacement made, and overlapping ones are covered whole (two secrets sharing characters leave
 * neither's tail behind).
 */
export function textRedactor(secrets: Iterable<string>): TextRedactor {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length)
  if (values.length === 0) return identity
  const longest = values[0]!.length
  const redact = (text: string): string => redactUntil(text, values, text.length)
  return Object.assign(redact, { longest, safePrefix: (prefix: string) => redactUntil(prefix, values, Math.max(0, prefix.length - longest + 1)) })
}

/**
 * The secret parts of a secret header's value, so they are also scrubbed where user code logged
 * them: the whole value, the credential after an auth scheme (`Bearer abc` → `abc`) and each
 * cookie value (`a=1; sid=xyz` → `xyz`).
 */
export function secretsInHeaderValue(name: string, value: string): string[] {
  const out = [value]
  const scheme = /^[A-Za-z][\w-]*\s+(.+)$/.exec(value)
  if (scheme && (name === 'authorization' || name === 'proxy-authorization')) out.push(scheme[1]!.trim())
  if (name === 'cookie' || name === 'set-cookie') {
    const pairs = name === 'set-cookie' ? [value.split(';')[0]!] : value.split(';')
    for (const pair of pairs) {
      const eq = pair.indexOf('=')
      if (eq !== -1) out.push(pair.slice(eq + 1).trim())
    }
  }
  return out
}

export type HeaderMap = Record<string, string | string[]>

/** Collects the secrets a set of headers carries under secret header names. (Object.keys: no pair array per header, once per logged row.) */
export function collectHeaderSecrets(headers: HeaderMap, secretHeaders: ReadonlySet<string>, into: string[]): void {
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase()
    if (!secretHeaders.has(lower)) continue
    const value = headers[name]!
    for (const one of Array.isArray(value) ? value : [value]) into.push(...secretsInHeaderValue(lower, one))
  }
}

/** Secret headers become `[REDACTED]`; every other value is scrubbed of known secrets. */
export function redactHeaders<H extends HeaderMap>(headers: H, secretHeaders: ReadonlySet<string>, redact: TextRedactor): H {
  const out: HeaderMap = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]!
    if (secretHeaders.has(name.toLowerCase())) out[name] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED
    else out[name] = Array.isArray(value) ? value.map((v) => redact(v)) : redact(value)
  }
  return out as H
}
