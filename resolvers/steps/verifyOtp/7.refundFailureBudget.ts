import { runtime, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { failureWindowKey } from '../../../infra/model'
import { fixedWindow, readPolicy } from '../../lib/policy'
import type { VerifyOtpStash } from '../../lib/stash'
import { uncountInWindow } from '../../lib/window-counter'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * Gives back the failed-check budget a check reserved but did not spend on a miss: a right
 * code (verified, or too late because another check settled the session first), or a check
 * that found no attempt left. S3 counts misses only. Kept out of the verify transaction so
 * that checks reserving budget on the same counter can never make that transaction conflict.
 */
export function request(ctx: VerifyOtpContext) {
  const { budgetReserved, verdict, session, check } = ctx.stash
  const noMiss = verdict === 'right' || verdict === 'lost'
  if (!budgetReserved || !noMiss || !session) runtime.earlyReturn(null)
  const window = fixedWindow(check.now, readPolicy(ctx.env).failureWindowMs)
  return {
    operation: 'UpdateItem',
    ...uncountInWindow(failureWindowKey(session.email, window.index)),
  }
}

/** The outcome stands whatever the refund did: a failed refund only leaves the budget stricter. */
export function response(): null {
  return null
}
