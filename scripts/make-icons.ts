/**
 * Draws Edgepad's icon (a lightning bolt between two braces on a rounded indigo square) and writes
 * it as PNG: resources/icon.png (512) and resources/icons/<n>x<n>.png at the sizes Linux desktops
 * use. Every size is rendered from the vector shapes (signed distance fields, analytic
 * anti-aliasing), not scaled down, so the small ones stay crisp. No dependencies: PNG via node:zlib.
 *
 *   node scripts/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { crc32, deflateSync } from 'node:zlib'

export const ICON_SIZES = [16, 32, 48, 64, 128, 256, 512]

type Point = readonly [number, number]
type Rgba = [number, number, number, number]

// Shapes in unit coordinates (0..1, y down).
const BOLT: Point[] = [
  [0.535, 0.22],
  [0.65, 0.22],
  [0.565, 0.435],
  [0.655, 0.435],
  [0.435, 0.785],
  [0.49, 0.55],
  [0.395, 0.55],
]
const braceLeft = bracePath(0.265, 1)
const braceRight = bracePath(0.735, -1)

/** A curly brace as a polyline: `side` 1 opens to the right ("{"), -1 to the left ("}"). */
function bracePath(x: number, side: 1 | -1): Point[] {
  const top = 0.3
  const bottom = 0.7
  const arm = 0.07 * side
  const tip = 0.065 * side
  const quad = (a: Point, c: Point, b: Point, steps = 12): Point[] =>
    Array.from({ length: steps + 1 }, (_, i) => {
      const t = i / steps
      const u = 1 - t
      return [u * u * a[0] + 2 * u * t * c[0] + t * t * b[0], u * u * a[1] + 2 * u * t * c[1] + t * t * b[1]] as const
    })
  return [
    ...quad([x + arm, top], [x, top], [x, top + 0.06]),
    ...quad([x, 0.44], [x, 0.5], [x - tip, 0.5]),
    ...quad([x - tip, 0.5], [x, 0.5], [x, 0.56]),
    ...quad([x, bottom - 0.06], [x, bottom], [x + arm, bottom]),
  ]
}

function segmentDistance(px: number, py: number, a: Point, b: Point): number {
  const bax = b[0] - a[0]
  const bay = b[1] - a[1]
  const pax = px - a[0]
  const pay = py - a[1]
  const h = Math.max(0, Math.min(1, (pax * bax + pay * bay) / (bax * bax + bay * bay || 1)))
  return Math.hypot(pax - bax * h, pay - bay * h)
}

function polylineDistance(px: number, py: number, points: Point[]): number {
  let d = Infinity
  for (let i = 1; i < points.length; i++) d = Math.min(d, segmentDistance(px, py, points[i - 1]!, points[i]!))
  return d
}

/** Signed distance to a closed polygon (negative inside), after Inigo Quilez's sdPolygon. */
function polygonDistance(px: number, py: number, points: Point[]): number {
  let d = Infinity
  let sign = 1
  for (let i = 0, j = points.length - 1; i < points.length; j = i, i++) {
    const [ax, ay] = points[i]!
    const [bx, by] = points[j]!
    d = Math.min(d, segmentDistance(px, py, points[i]!, points[j]!))
    const c1 = py >= ay
    const c2 = py < by
    const c3 = (bx - ax) * (py - ay) > (by - ay) * (px - ax)
    if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) sign = -sign
  }
  return sign * d
}

function roundedSquareDistance(px: number, py: number, inset: number, radius: number): number {
  const half = 0.5 - inset
  const qx = Math.abs(px - 0.5) - half + radius
  const qy = Math.abs(py - 0.5) - half + radius
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius
}

const mix = (a: number, b: number, t: number) => a + (b - a) * t
const clamp01 = (v: number) => Math.max(0, Math.min(1, v))

/** Source-over of a straight-alpha color onto a premultiplied-free RGBA accumulator. */
function over(dst: Rgba, r: number, g: number, b: number, a: number): void {
  const outA = a + dst[3] * (1 - a)
  if (outA <= 0) return
  dst[0] = (r * a + dst[0] * dst[3] * (1 - a)) / outA
  dst[1] = (g * a + dst[1] * dst[3] * (1 - a)) / outA
  dst[2] = (b * a + dst[2] * dst[3] * (1 - a)) / outA
  dst[3] = outA
}

export function renderIcon(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4)
  const px = 1 / size // one pixel in unit coordinates: the anti-aliasing width
  // Small icons get a thicker stroke and less margin, so the glyph survives at 16 px.
  const small = size <= 32
  const inset = small ? 0.02 : 0.055
  const stroke = small ? 0.05 : 0.036
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size
      const v = (y + 0.5) / size
      const color: Rgba = [0, 0, 0, 0]
      const box = roundedSquareDistance(u, v, inset, 0.22)
      const boxCover = clamp01(0.5 - box / px)
      if (boxCover > 0) {
        // Indigo → violet diagonal gradient with a soft light from the top.
        const t = clamp01((u + v) / 2)
        const light = clamp01(1 - v * 1.6) * 0.12
        over(color, mix(67, 124, t) + 255 * light, mix(56, 58, t) + 255 * light, mix(202, 237, t) + 255 * light, boxCover)
        // A drop shadow under the glyphs, then the glyphs.
        const sx = u - 0.012
        const sy = v - 0.02
        const shadowDistance = Math.min(
          polygonDistance(sx, sy, BOLT),
          polylineDistance(sx, sy, braceLeft) - stroke,
          polylineDistance(sx, sy, braceRight) - stroke,
        )
        if (!small) over(color, 20, 10, 60, 0.35 * clamp01(1 - shadowDistance / 0.03) * boxCover)
        const braces = Math.min(polylineDistance(u, v, braceLeft), polylineDistance(u, v, braceRight)) - stroke
        over(color, 255, 255, 255, 0.94 * clamp01(0.5 - braces / px) * boxCover)
        const bolt = polygonDistance(u, v, BOLT)
        const warm = clamp01((v - 0.22) / 0.56)
        over(color, 253, mix(214, 158, warm), mix(80, 11, warm), clamp01(0.5 - bolt / px) * boxCover)
      }
      const at = (y * size + x) * 4
      pixels[at] = Math.round(clamp01(color[0] / 255) * 255)
      pixels[at + 1] = Math.round(clamp01(color[1] / 255) * 255)
      pixels[at + 2] = Math.round(clamp01(color[2] / 255) * 255)
      pixels[at + 3] = Math.round(color[3] * 255)
    }
  }
  return encodePng(size, size, pixels)
}

/** 8-bit RGBA PNG, filter 0 on every row. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height)
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4)
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(data.length, 0)
    head.write(type, 4, 'latin1')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0)
    return Buffer.concat([head, data, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

if (import.meta.main) {
  const resources = path.resolve(import.meta.dirname, '..', 'resources')
  mkdirSync(path.join(resources, 'icons'), { recursive: true })
  for (const size of ICON_SIZES) {
    const png = renderIcon(size)
    writeFileSync(path.join(resources, 'icons', `${size}x${size}.png`), png)
    if (size === 512) writeFileSync(path.join(resources, 'icon.png'), png)
    console.log(`resources/icons/${size}x${size}.png ${png.length} bytes`)
  }
}
