/** What the resolvers and steps share through `ctx.stash`. Never returned to the caller. */
import type { SessionItem } from '../../infra/model'

/** requestOtp: the new session, prepared by the resolver request handler. */
export interface NewSessionStash {
  now: number
  sessionId: string
  email: string
  code: string
}

/** verifyOtp: the submitted code and the session as loaded. */
export interface VerifyStash {
  now: number
  sessionId: string
  code: string
  session?: SessionItem
  /** Attempt number reserved for this check (1-based). */
  attempt?: number
  /** Whether this check counted against the address's failed-check budget (to refund if it was no miss). */
  budgetReserved?: boolean
}
