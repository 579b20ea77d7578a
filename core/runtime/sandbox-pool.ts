import { MEMORY_MB } from '../../common/model/limits.ts'
import { Sandbox, type CompiledBootstrap } from './sandbox.ts'

/**
 * Spare sandboxes (isolate + context + bootstrap, about 75% of a cold start) made ahead of time,
 * per memory limit, so deploying a function only pays for compiling its own module.
 */
export class SandboxPool {
  private readonly spares = new Map<number, Sandbox[]>()
  private readonly targets = new Map<number, number>()
  private refillScheduled = false
  private closed = false
  private readonly bootstrap: CompiledBootstrap
  private readonly onCatastrophicError: (message: string) => void
  private readonly defaultSpares: number

  constructor(bootstrap: CompiledBootstrap, defaultSpares: number, onCatastrophicError: (message: string) => void) {
    this.bootstrap = bootstrap
    this.defaultSpares = defaultSpares
    this.onCatastrophicError = onCatastrophicError
    this.targets.set(MEMORY_MB.default, defaultSpares)
    this.scheduleRefill()
  }

  take(memoryMb: number): Sandbox {
    // Other memory sizes get one spare once they have been asked for.
    if (!this.targets.has(memoryMb)) this.targets.set(memoryMb, Math.min(1, this.defaultSpares))
    const spare = this.spares.get(memoryMb)?.pop()
    this.scheduleRefill()
    return spare ?? this.create(memoryMb)
  }

  create(memoryMb: number): Sandbox {
    return new Sandbox(memoryMb, this.bootstrap, this.onCatastrophicError)
  }

  /** Fills synchronously; used at start-up so the first cold start already finds a spare. */
  fill(): void {
    for (const [memoryMb, target] of this.targets) {
      const list = this.list(memoryMb)
      while (list.length < target) list.push(this.create(memoryMb))
    }
  }

  get spareCount(): number {
    let n = 0
    for (const list of this.spares.values()) n += list.length
    return n
  }

  close(): void {
    this.closed = true
    for (const list of this.spares.values()) for (const sandbox of list) sandbox.dispose()
    this.spares.clear()
  }

  private list(memoryMb: number): Sandbox[] {
    let list = this.spares.get(memoryMb)
    if (!list) this.spares.set(memoryMb, (list = []))
    return list
  }

  /** One sandbox per event-loop turn, so refilling never delays a waiting invocation by more than one creation. */
  private scheduleRefill(): void {
    if (this.refillScheduled || this.closed) return
    this.refillScheduled = true
    setImmediate(() => {
      this.refillScheduled = false
      if (this.closed) return
      for (const [memoryMb, target] of this.targets) {
        const list = this.list(memoryMb)
        if (list.length < target) {
          list.push(this.create(memoryMb))
          this.scheduleRefill()
          return
        }
      }
    }).unref()
  }
}
