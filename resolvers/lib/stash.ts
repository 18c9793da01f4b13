/**
 * What the resolvers and their steps share through `ctx.stash`, one type per pipeline
 * (`Context<Args, Stash>`). Never returned to the caller: it holds the code.
 */
import type { OtpChallenge, OtpVerification } from '../../generated/graphql'
import type { SessionItem } from '../../infra/model'
import type { Refusal } from './errors'

/** requestOtp: the new session, drawn by the resolver's request handler, then what each step learned. */
export interface RequestOtpStash {
  newSession: {
    now: number
    sessionId: string
    /** The address as typed (trimmed, lower-cased): the mail goes there. */
    email: string
    /** Its canonical mailbox: what the limits and the suppression list count on (S12). */
    mailbox: string
    /** The client the limits count (see `requesterOf`). */
    requester: string
    code: string
    /** The shipped language the mail is written in (see `chooseLocale`). */
    locale: string
    /** The relying app's nonce for its sign-in attempt, when it sent one (see lib/nonce.ts). */
    nonce?: string
  }
  /** The global send budget counted this request (reserveSendBudget); refundSendBudget gives it back on a refusal. */
  sendBudgetReserved?: boolean
  /** Why createSession created no session; raised once the budget is refunded. */
  refusal?: Refusal
  /** What the caller receives once the session exists (createSession). */
  challenge?: OtpChallenge
}

/**
 * What the attempt reserveAttempt reserved found, and so which step acts on it:
 * - `lost`: no attempt was left to reserve (the session changed since it was loaded); reloadSession
 *   re-reads it to say why.
 * - `right`: the code matched; verifySession consumes the session.
 * - `wrong`: a miss with attempts left; the answer is INVALID_CODE and nothing more is written.
 * - `lastWrong`: a miss on the last attempt; lockSession locks the session.
 */
export type AttemptVerdict = 'lost' | 'right' | 'wrong' | 'lastWrong'

/** verifyOtp: the check as submitted, then what each step learned. */
export interface VerifyOtpStash {
  /**
   * Set by the resolver's request handler; `now` is the one clock every step measures against,
   * `requester` the client the failed-check limits count (see `requesterOf`).
   */
  check: { now: number; sessionId: string; code: string; requester: string }
  /** The session as loaded (loadSession), then as the reservation left it (reserveAttempt). */
  session?: SessionItem
  /** This check was counted against every failed-check limit it is subject to (reserveFailureBudget). */
  budgetReserved?: boolean
  verdict?: AttemptVerdict
  /** The token verifySession writes with the verification, and when it expires (epoch ms). */
  token?: { value: string; expiresAt: number }
  /** The answer, once known; the resolver's response returns it. */
  outcome?: OtpVerification
}
