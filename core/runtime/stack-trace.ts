import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping'

export interface Position {
  line: number
  column: number
}

/**
 * Stack traces as the function's owner should see them: only frames in their own file, at their
 * own lines (through the TypeScript source map when there is one), never host or bootstrap frames.
 */
export class StackMapper {
  readonly filename: string
  private readonly map: TraceMap | null

  constructor(filename: string, sourceMap: string | null) {
    this.filename = filename
    this.map = sourceMap ? new TraceMap(sourceMap) : null
  }

  map1(position: Position): Position {
    if (!this.map) return position
    const original = originalPositionFor(this.map, { line: position.line, column: Math.max(0, position.column - 1) })
    return original.line === null ? position : { line: original.line, column: original.column + 1 }
  }

  /** Keeps the header line(s) and the user's frames; returns the first user position too. */
  clean(stack: string): { stack: string; position?: Position } {
    const lines = stack.split('\n')
    const firstFrame = lines.findIndex((line) => /^\s+at /.test(line))
    const header = firstFrame === -1 ? lines : lines.slice(0, firstFrame)
    const frames = firstFrame === -1 ? [] : lines.slice(firstFrame)
    let position: Position | undefined
    const kept: string[] = []
    const pattern = new RegExp(`${escapeRegExp(this.filename)}:(\\d+):(\\d+)`)
    for (const frame of frames) {
      const match = pattern.exec(frame)
      if (!match) continue
      const mapped = this.map1({ line: Number(match[1]), column: Number(match[2]) })
      position ??= mapped
      kept.push(frame.replace(pattern, `${this.filename}:${mapped.line}:${mapped.column}`))
    }
    return { stack: [...header, ...kept].join('\n'), position }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
