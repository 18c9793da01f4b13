import { runtime, util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { sessionKey, type SessionItem } from '../../../infra/model'
import { unavailable } from '../../lib/errors'
import type { VerifyOtpStash } from '../../lib/stash'
import { settledOutcome } from '../../lib/verify-state'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * When no attempt was left to reserve: re-reads the session (strongly consistent) to say why.
 * Concurrent checks settled it since loadSession read it: verified, locked, or out of attempts.
 */
export function request(ctx: VerifyOtpContext) {
  const { verdict, check } = ctx.stash
  if (verdict !== 'lost') runtime.earlyReturn(null)
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: sessionKey(check.sessionId) }),
    consistentRead: true,
  }
}

export function response(ctx: VerifyOtpContext): null {
  if (ctx.error) unavailable()
  ctx.stash.outcome =
    settledOutcome(ctx.result as SessionItem | null, ctx.stash.check.now) ?? unavailable()
  return null
}
