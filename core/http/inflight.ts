/** Counts work in flight so shutdown can wait for it, bounded by a deadline. */
export function createInflight() {
  let count = 0
  let waiters: (() => void)[] = []
  const settle = () => {
    if (count > 0) return
    for (const w of waiters) w()
    waiters = []
  }
  return {
    get count() {
      return count
    },
    track<T>(work: Promise<T>): Promise<T> {
      count++
      return work.finally(() => {
        count--
        settle()
      })
    },
    /** Resolves when nothing is in flight, or after `timeoutMs` whatever remains. */
    drained(timeoutMs: number): Promise<void> {
      if (count === 0) return Promise.resolve()
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, timeoutMs)
        waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    },
  }
}
