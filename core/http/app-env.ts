import type { UserRecord } from '../../common/model/user.ts'

/** What the auth middleware leaves on the context for API routes. */
export interface AppEnv {
  Variables: {
    user: UserRecord
  }
}
