import { util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { sessionKey, type SessionItem } from '../../../infra/model'
import { badRequest, unavailable } from '../../lib/errors'
import type { VerifyOtpStash } from '../../lib/stash'
import { settledOutcome } from '../../lib/verify-state'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/** Strongly consistent read of the session: a stale read could miss a lock or a verification. */
export function request(ctx: VerifyOtpContext) {
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: sessionKey(ctx.stash.check.sessionId) }),
    consistentRead: true,
  }
}

/**
 * Settles the outcome when the session cannot evaluate a code. Otherwise keeps the session for
 * the next steps, after refusing a code whose length is not the session's own: that is bad
 * input, not a guess, so it spends neither an attempt nor the failed-check budget.
 */
export function response(ctx: VerifyOtpContext): null {
  if (ctx.error) unavailable()
  const outcome = settledOutcome(ctx.result as SessionItem | null, ctx.stash.check.now)
  if (outcome) {
    ctx.stash.outcome = outcome
    return null
  }
  const session = ctx.result as SessionItem
  if (ctx.stash.check.code.length !== session.codeLength) {
    badRequest(`The code must be exactly ${session.codeLength} digits.`, 'code')
  }
  ctx.stash.session = session
  return null
}
