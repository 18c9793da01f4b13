import { runtime, util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { sessionKey } from '../../../infra/model'
import { storageFailure } from '../../lib/errors'
import type { VerifyOtpStash } from '../../lib/stash'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * For a wrong code on the last attempt: locks the session and removes its code (S2, S6). Only
 * a PENDING session is locked; one a concurrent right code verified first stays VERIFIED.
 */
export function request(ctx: VerifyOtpContext) {
  const { verdict, check } = ctx.stash
  if (verdict !== 'lastWrong') runtime.earlyReturn(null)
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: sessionKey(check.sessionId) }),
    update: {
      expression: 'SET #status = :locked, lockedAt = :now REMOVE code',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':locked': 'LOCKED', ':now': check.now }),
    },
    condition: {
      expression: '#status = :pending',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':pending': 'PENDING' }),
    },
  }
}

/** The answer stays INVALID_CODE with no attempt left (set by reserveAttempt), locked or not. */
export function response(ctx: VerifyOtpContext): null {
  if (ctx.error && ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
    storageFailure(ctx.error.type)
  return null
}
