import { runtime, util, type Context } from '@aws-appsync/utils'
import type { MutationRedeemVerificationArgs, VerifiedEmail } from '../generated/graphql'
import { badRequest } from './lib/errors'

/** Refuses an empty token; a token of the wrong shape cannot exist, so it redeems nothing. */
export function request(ctx: Context<MutationRedeemVerificationArgs>): Record<string, never> {
  const { token } = ctx.args
  if (token.trim() === '' || token.length > 256)
    badRequest('The token is empty or too long.', 'token')
  if (!util.matches('^[0-9a-f]{32}$', token)) runtime.earlyReturn(null)
  return {}
}

/** The verified address, or null when the token is unknown, expired or already redeemed. */
export function response(ctx: Context<MutationRedeemVerificationArgs>): VerifiedEmail | null {
  return ctx.prev.result
}
