// Layout half of inspect.ts: quoting and Node's line-breaking rules (reduceToSingleString and
// groupArrayElements, reimplemented from their documented behaviour), kept apart to keep each file small.

export const BREAK = 80
export const MAX_ITEMS = 100
/** indent: current indentation; cur: deepest level whose entries were formatted most recently. */
export type LayoutCtx = { indent: number; cur: number }

const ESC = ['\\x00', '\\x01', '\\x02', '\\x03', '\\x04', '\\x05', '\\x06', '\\x07', '\\b', '\\t', '\\n', '\\x0B', '\\f', '\\r']
/** Node's quoting: prefer ', then ", then ` — and escape control characters and lone surrogates. */
export function quote(s: string): string {
  const q = !s.includes("'") ? "'" : !s.includes('"') ? '"' : !s.includes('`') && !s.includes('${') ? '`' : "'"
  return q + s.replace(/[\0-\x1f\x7f\\'"`]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, c => {
    const code = c.charCodeAt(0)
    if (c === '\\') return '\\\\'
    if (c === q) return '\\' + c
    if (code < 14) return ESC[code]!
    if (code < 0x20 || code === 0x7f) return '\\x' + code.toString(16).toUpperCase().padStart(2, '0')
    return code > 0xff ? '\\u' + code.toString(16) : c
  }) + q
}

export const formatNumber = (n: number) => (Object.is(n, -0) ? '-0' : String(n))
export const more = (n: number, what = 'item') => `... ${n} more ${what}${n > 1 ? 's' : ''}`

/** Node's reduceToSingleString (compact = 3): one line when short and shallow, else one entry per line. */
export function reduce(output: string[], base: string, braces: string[], isArrayLike: boolean, level: number, ctx: LayoutCtx, value: object): string {
  const entries = output.length
  if (isArrayLike && entries > 6) output = groupArray(output, ctx, value as ArrayLike<unknown>)
  const head = `${base ? `${base} ` : ''}${braces[0]}`
  if (ctx.cur - level < 3 && entries === output.length) {
    const start = output.length + ctx.indent + braces[0]!.length + base.length + 10
    let total = output.length + start
    const fits = total + output.length <= BREAK && output.every(o => (total += o.length) <= BREAK) && !base.includes('\n')
    if (fits) {
      const joined = output.join(', ')
      if (!joined.includes('\n')) return `${head} ${joined} ${braces[1]}`
    }
  }
  const ind = `\n${' '.repeat(ctx.indent)}`
  return `${head}${ind}  ${output.join(`,${ind}  `)}${ind}${braces[1]}`
}

/** Node's groupArrayElements: lay out many short entries in aligned columns. */
function groupArray(output: string[], ctx: LayoutCtx, value: ArrayLike<unknown>): string[] {
  let total = 0, maxLen = 0
  const n = output.length > MAX_ITEMS ? output.length - 1 : output.length
  const lens = output.slice(0, n).map(o => o.length)
  for (const l of lens) { total += l + 2; if (l > maxLen) maxLen = l }
  const actualMax = maxLen + 2
  if (actualMax * 3 + ctx.indent >= BREAK || (total / actualMax <= 5 && maxLen > 6)) return output
  const bias = Math.sqrt(actualMax - total / output.length)
  const biasedMax = Math.max(actualMax - 3 - bias, 1)
  const cols = Math.min(Math.round(Math.sqrt(2.5 * biasedMax * n) / biasedMax), Math.floor((BREAK - ctx.indent) / actualMax), 12, 15)
  if (cols <= 1) return output
  const widths: number[] = []
  for (let c = 0; c < cols; c++) {
    let w = 0
    for (let j = c; j < output.length; j += cols) if ((lens[j] ?? 0) > w) w = lens[j]!
    widths.push(w + 2)
  }
  let numeric = true
  for (let i = 0; i < output.length; i++) {
    const x = Reflect.getOwnPropertyDescriptor(value, i)?.value
    if (typeof x !== 'number' && typeof x !== 'bigint') { numeric = false; break }
  }
  const rows: string[] = []
  for (let i = 0; i < n; i += cols) {
    const end = Math.min(i + cols, n)
    let row = ''
    for (let j = i; j < end - 1; j++) row += numeric ? `${output[j]}, `.padStart(widths[j - i]!) : `${output[j]}, `.padEnd(widths[j - i]!)
    row += numeric ? output[end - 1]!.padStart(widths[end - 1 - i]! - 2) : output[end - 1]!
    rows.push(row)
  }
  if (n < output.length) rows.push(output[n]!)
  return rows
}

