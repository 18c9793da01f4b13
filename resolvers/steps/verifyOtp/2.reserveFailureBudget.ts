import { runtime, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { failureWindowKey } from '../../../infra/model'
import { storageFailure, tooManyRequests } from '../../lib/errors'
import { fixedWindow, readPolicy, secondsUntil } from '../../lib/policy'
import type { VerifyOtpStash } from '../../lib/stash'
import { countInWindow } from '../../lib/window-counter'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * Counts this check against the address's failed-check budget before anything else is spent
 * (S3), so guesses spread over many sessions of one address stay bounded. It runs before the
 * attempt is reserved: a refused check costs the session nothing, and no attempt is ever
 * consumed without a comparison. A check that turns out not to be a miss is refunded by
 * refundFailureBudget. Once loadSession has settled the outcome, every later step is skipped.
 */
export function request(ctx: VerifyOtpContext) {
  const { outcome, session, check } = ctx.stash
  if (outcome || !session) runtime.earlyReturn(outcome ?? null, { skipTo: 'END' })
  const policy = readPolicy(ctx.env)
  const window = fixedWindow(check.now, policy.failureWindowMs)
  return {
    operation: 'UpdateItem',
    ...countInWindow(
      failureWindowKey(session.email, window.index),
      'failureWindow',
      window.endsAt,
      policy.maxFailures,
    ),
  }
}

export function response(ctx: VerifyOtpContext): null {
  if (ctx.error) {
    if (ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
      storageFailure(ctx.error.type)
    const { now } = ctx.stash.check
    const endsAt = fixedWindow(now, readPolicy(ctx.env).failureWindowMs).endsAt
    tooManyRequests(
      'Too many wrong codes for this address; wait before trying again.',
      secondsUntil(endsAt, now),
      'FAILURE_BUDGET',
    )
  }
  ctx.stash.budgetReserved = true
  return null
}
