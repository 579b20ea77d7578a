import { Cron } from 'croner'
import type { FunctionsRepo, UsersRepo } from '../store/repos.ts'
import { invokeFunction, type InvokeDeps } from './invoke-function.ts'
import type { ServedFunctions } from './served-functions.ts'

export interface CronScheduler {
  /** Re-reads which functions are scheduled; called after every function write. */
  sync(): void
  /** Function ids with a running schedule (for tests and health). */
  scheduled(): string[]
  close(): void
}

interface Deps {
  users: UsersRepo
  functions: FunctionsRepo
  served: ServedFunctions
  invoke: InvokeDeps
  onError: (error: unknown) => void
}

/**
 * Runs ACTIVE functions whose trigger is CRON on their schedule (UTC), as a GET of `/` with an
 * `x-edgepad-trigger: cron` header, logged with trigger `CRON`. A run still going when the next one
 * is due is skipped rather than stacked.
 */
export function createCronScheduler(deps: Deps): CronScheduler {
  const jobs = new Map<string, { schedule: string; job: Cron }>()
  let syncing: Promise<void> | null = null
  let again = false
  let closed = false

  const tick = async (id: string) => {
    const fn = await deps.served.get(id)
    if (!fn || fn.status !== 'ACTIVE') return
    await invokeFunction(deps.invoke, fn, { method: 'GET', path: '/', headers: { 'x-edgepad-trigger': 'cron' } }, 'CRON')
  }

  const load = async () => {
    const wanted = new Map<string, string>()
    for (const user of await deps.users.list()) {
      for (const fn of await deps.functions.list(user.id)) {
        if (fn.triggerType === 'CRON' && fn.status === 'ACTIVE' && fn.cronSchedule) wanted.set(fn.id, fn.cronSchedule)
      }
    }
    if (closed) return
    for (const [id, entry] of jobs) {
      if (wanted.get(id) !== entry.schedule) {
        entry.job.stop()
        jobs.delete(id)
      }
    }
    for (const [id, schedule] of wanted) {
      if (jobs.has(id)) continue
      const job = new Cron(schedule, { timezone: 'UTC', protect: true, catch: deps.onError }, () => tick(id).catch(deps.onError))
      jobs.set(id, { schedule, job })
    }
  }

  const sync = () => {
    if (syncing) {
      again = true
      return
    }
    syncing = load()
      .catch(deps.onError)
      .finally(() => {
        syncing = null
        if (again && !closed) {
          again = false
          sync()
        }
      })
  }

  return {
    sync,
    scheduled: () => [...jobs.keys()],
    close() {
      closed = true
      for (const { job } of jobs.values()) job.stop()
      jobs.clear()
    },
  }
}
