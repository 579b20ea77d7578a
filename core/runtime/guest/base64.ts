// atob/btoa per the HTML spec ("forgiving-base64") plus the DOMException class they throw.
import { brand, named } from './util.ts'

// Legacy error codes, indexed by code; only names that have one are listed.
const CODES = ',IndexSizeError,,HierarchyRequestError,WrongDocumentError,InvalidCharacterError,,NoModificationAllowedError,NotFoundError,NotSupportedError,,InvalidStateError,SyntaxError,InvalidModificationError,NamespaceError,InvalidAccessError,,TypeMismatchError,SecurityError,NetworkError,AbortError,URLMismatchError,QuotaExceededError,TimeoutError,InvalidNodeTypeError,DataCloneError'.split(',')

export class DOMException extends Error {
  #name: string
  constructor(message: unknown = '', options: unknown = 'Error') {
    const opts = options !== null && typeof options === 'object' ? (options as { name?: unknown; cause?: unknown }) : undefined
    super(String(message), opts && 'cause' in opts ? { cause: opts.cause } : undefined)
    this.#name = opts ? (opts.name === undefined ? 'Error' : String(opts.name)) : String(options)
  }
  // Accessors on the prototype (not own properties), as in browsers and Node.
  override get name(): string {
    return this.#name
  }
  get code(): number {
    const i = CODES.indexOf(this.#name)
    return i > 0 ? i : 0
  }
}
brand(DOMException, 'DOMException')

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
let decodeTable: Int8Array | undefined
const invalid = (what: string) => new DOMException(what, 'InvalidCharacterError')

/** Binary string (each char ≤ U+00FF) → base64. */
export function btoa(data: unknown): string {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'btoa': 1 argument required, but only 0 present.")
  const s = String(data)
  let out = ''
  for (let i = 0; i < s.length; i += 3) {
    const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2)
    // NaN (past the end) is fine here: only real characters above 0xFF are errors
    if (a > 0xff || b > 0xff || c > 0xff) throw invalid('Invalid character')
    const n = (a << 16) | ((b || 0) << 8) | (c || 0)
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! +
      (i + 1 < s.length ? ALPHABET[(n >> 6) & 63]! : '=') + (i + 2 < s.length ? ALPHABET[n & 63]! : '=')
  }
  return out
}

/** base64 → binary string, "forgiving-base64 decode": ASCII whitespace ignored, padding optional. */
export function atob(data: unknown): string {
  if (arguments.length === 0) throw new TypeError("Failed to execute 'atob': 1 argument required, but only 0 present.")
  let s = String(data).replace(/[\t\n\f\r ]+/g, '')
  if (s.length % 4 === 0) s = s.replace(/={1,2}$/, '')
  if (s.length % 4 === 1) throw invalid('The string to be decoded is not correctly encoded.')
  if (!decodeTable) {
    decodeTable = new Int8Array(128).fill(-1)
    for (let i = 0; i < 64; i++) decodeTable[ALPHABET.charCodeAt(i)] = i
  }
  const t = decodeTable
  let out = ''
  let buf = 0, bits = 0
  const chunk: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const v = c < 128 ? t[c]! : -1
    if (v < 0) throw invalid('The string to be decoded is not correctly encoded.')
    buf = ((buf << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      chunk.push((buf >> bits) & 0xff)
      // flush in chunks: String.fromCharCode has an argument-count limit
      if (chunk.length === 8192) { out += String.fromCharCode(...chunk); chunk.length = 0 }
    }
  }
  return out + String.fromCharCode(...chunk)
}
named(atob, 'atob')
named(btoa, 'btoa')
