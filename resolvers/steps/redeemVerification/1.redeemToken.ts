import { util, type Context } from '@aws-appsync/utils'
import type { MutationRedeemVerificationArgs, VerifiedEmail } from '../../../generated/graphql'
import { tokenKey, type TokenItem } from '../../../infra/model'
import { unavailable } from '../../lib/errors'

/** Marks the token redeemed in one conditional write, so it redeems at most once (S4) and never after expiry (S5). */
export function request(ctx: Context<MutationRedeemVerificationArgs>) {
  const now = util.time.nowEpochMilliSeconds()
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: tokenKey(ctx.args.token) }),
    update: {
      expression: 'SET redeemedAt = :now',
      expressionValues: util.dynamodb.toMapValues({ ':now': now }),
    },
    condition: {
      expression: 'attribute_exists(pk) AND attribute_not_exists(redeemedAt) AND expiresAt > :now',
      expressionValues: util.dynamodb.toMapValues({ ':now': now }),
    },
  }
}

export function response(ctx: Context<MutationRedeemVerificationArgs>): VerifiedEmail | null {
  if (ctx.error) {
    if (ctx.error.type === 'DynamoDB:ConditionalCheckFailedException') return null
    unavailable()
  }
  const token = ctx.result as TokenItem
  return {
    email: token.email,
    sessionId: token.sessionId,
    verifiedAt: util.time.epochMilliSecondsToISO8601(token.verifiedAt),
    nonce: token.nonce ?? null,
  }
}
