import { runtime, type Context } from '@aws-appsync/utils'
import type { OtpDelivery, QueryOtpDeliveryArgs } from '../generated/graphql'
import { checkSessionIdLength, isIssuedSessionId } from './lib/delivery'

/**
 * otpDelivery's step runs in resolvers/steps/otpDelivery/. Refuses an empty or over-long id, as
 * verifyOtp does; an id of another shape names no session, so the answer is null without a read.
 */
export function request(ctx: Context<QueryOtpDeliveryArgs>): Record<string, never> {
  checkSessionIdLength(ctx.args.sessionId)
  if (!isIssuedSessionId(ctx.args.sessionId)) runtime.earlyReturn(null)
  return {}
}

/** The session's delivery state, or null when there is no such session. */
export function response(ctx: Context<QueryOtpDeliveryArgs>): OtpDelivery | null {
  return ctx.prev.result
}
