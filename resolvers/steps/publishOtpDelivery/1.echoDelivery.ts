import type { Context } from '@aws-appsync/utils'
import type { MutationPublishOtpDeliveryArgs, OtpDelivery } from '../../../generated/graphql'

/** NONE data source: the arguments come back as the result, which AppSync publishes. Nothing is stored. */
export function request(ctx: Context<MutationPublishOtpDeliveryArgs>) {
  const { sessionId, status, at, reason } = ctx.args
  const payload: OtpDelivery = { sessionId, status, at, reason: reason ?? null }
  return { payload }
}

export function response(ctx: Context<MutationPublishOtpDeliveryArgs>): OtpDelivery {
  return ctx.result
}
