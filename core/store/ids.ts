import { randomFillSync } from 'node:crypto'

const pool = Buffer.alloc(16 * 256)
let poolOffset = pool.length
const hex: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/**
 * RFC 9562 UUIDv7: 48-bit ms timestamp then random bits. Time-ordered ids keep the unique index
 * append-mostly at millions of rows (v4 would scatter inserts over the whole B-tree).
 */
export function uuidV7(now = Date.now()): string {
  if (poolOffset === pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const b = pool.subarray(poolOffset, poolOffset + 16)
  poolOffset += 16
  const ms = Math.max(0, Math.floor(now))
  b[0] = Math.floor(ms / 2 ** 40) & 0xff
  b[1] = Math.floor(ms / 2 ** 32) & 0xff
  b[2] = (ms >>> 24) & 0xff
  b[3] = (ms >>> 16) & 0xff
  b[4] = (ms >>> 8) & 0xff
  b[5] = ms & 0xff
  b[6] = (b[6]! & 0x0f) | 0x70
  b[8] = (b[8]! & 0x3f) | 0x80
  let s = ''
  for (let i = 0; i < 16; i++) {
    s += hex[b[i]!]
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-'
  }
  return s
}
