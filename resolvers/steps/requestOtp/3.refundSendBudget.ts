import { runtime, type Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs } from '../../../generated/graphql'
import { globalSendLimit } from '../../lib/limits'
import { readPolicy } from '../../lib/policy'
import type { RequestOtpStash } from '../../lib/stash'
import { uncountInWindow } from '../../lib/window-counter'

type RequestOtpContext = Context<MutationRequestOtpArgs, RequestOtpStash>

/**
 * Gives back the global send budget a refused request reserved but did not spend on a mail, so
 * requests refused by their own limits cannot use up the budget of everyone else.
 */
export function request(ctx: RequestOtpContext) {
  const { refusal, sendBudgetReserved, newSession } = ctx.stash
  if (!refusal || !sendBudgetReserved) runtime.earlyReturn(null)
  const limit = globalSendLimit(readPolicy(ctx.env), newSession.now)
  return { operation: 'UpdateItem', ...uncountInWindow(limit.pk) }
}

/** The refusal stands whatever the refund did: a failed refund only leaves the budget stricter. */
export function response(): null {
  return null
}
