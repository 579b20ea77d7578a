/** Header names whose values are always secret, in addition to any the function lists. */
export const BUILTIN_SECRET_HEADERS: readonly string[] = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']

export const REDACTED = '[REDACTED]'

/**
 * Shorter values are not scrubbed from free text: an env var like `1` or `on` would otherwise
 * mangle every number and word in a log line. Secret *headers* are always redacted whole.
 */
export const MIN_REDACTED_LENGTH = 4

export type TextRedactor = ((text: string) => string) & { readonly longest: number }

const identity: TextRedactor = Object.assign((text: string) => text, { longest: 0 })

/** Replaces every occurrence of each secret, longest first so a secret containing another is removed whole. */
export function textRedactor(secrets: Iterable<string>): TextRedactor {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length)
  if (values.length === 0) return identity
  const redact = (text: string): string => {
    let out = text
    for (const value of values) if (out.includes(value)) out = out.split(value).join(REDACTED)
    return out
  }
  return Object.assign(redact, { longest: values[0]!.length })
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
