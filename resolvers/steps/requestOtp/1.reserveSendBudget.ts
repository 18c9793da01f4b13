import type { Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs } from '../../../generated/graphql'
import { storageFailure, tooManyRequests } from '../../lib/errors'
import { globalSendLimit } from '../../lib/limits'
import { readPolicy, secondsUntil } from '../../lib/policy'
import type { RequestOtpStash } from '../../lib/stash'
import { countInWindow } from '../../lib/window-counter'

type RequestOtpContext = Context<MutationRequestOtpArgs, RequestOtpStash>

/**
 * Counts this request against the global send budget of the current minute (S13), so a burst
 * is refused here rather than queued as mail SES would throttle. One counter every request
 * shares: a single conditional update never conflicts with another, where the same item inside
 * createSession's transaction would make concurrent requests for different people conflict.
 * refundSendBudget gives the count back when createSession creates no session.
 */
export function request(ctx: RequestOtpContext) {
  const limit = globalSendLimit(readPolicy(ctx.env), ctx.stash.newSession.now)
  return {
    operation: 'UpdateItem',
    ...countInWindow(limit.pk, 'sendWindow', limit.endsAt, limit.max),
  }
}

export function response(ctx: RequestOtpContext): null {
  if (ctx.error) {
    if (ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
      storageFailure(ctx.error.type)
    const { now } = ctx.stash.newSession
    const limit = globalSendLimit(readPolicy(ctx.env), now)
    tooManyRequests(limit.message, secondsUntil(limit.endsAt, now), limit.reason)
  }
  ctx.stash.sendBudgetReserved = true
  return null
}
