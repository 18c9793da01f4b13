import type { Context } from '@aws-appsync/utils'
import type { MutationPublishOtpDeliveryArgs, OtpDelivery } from '../generated/graphql'
import { isIssuedSessionId, isMachineWord } from './lib/delivery'
import { badRequest } from './lib/errors'

/**
 * publishOtpDelivery's step runs in resolvers/steps/publishOtpDelivery/. Refuses a session id this
 * service never issues and a reason that is not a short machine word: whatever passes here reaches
 * every subscriber of the session, so nothing free-form (an address, a code) may pass.
 */
export function request(ctx: Context<MutationPublishOtpDeliveryArgs>): Record<string, never> {
  const { sessionId, reason } = ctx.args
  if (!isIssuedSessionId(sessionId)) {
    badRequest('The session id is not one this service issues.', 'sessionId')
  }
  if (reason !== undefined && reason !== null && !isMachineWord(reason)) {
    badRequest(
      'The reason must be an upper-case word of at most 64 letters, digits or underscores.',
      'reason',
    )
  }
  return {}
}

/** The update as published: AppSync sends it to the subscribers of `onOtpDelivery` for this session. */
export function response(ctx: Context<MutationPublishOtpDeliveryArgs>): OtpDelivery {
  return ctx.prev.result
}
