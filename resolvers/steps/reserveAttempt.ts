import { util, type Context } from '@aws-appsync/utils'
import { sessionKey, type SessionItem } from '../../infra/model'
import { storageFailure } from '../lib/errors'
import type { VerifyStash } from '../lib/stash'

/**
 * Reserves one attempt before comparing (S2): the conditional increment succeeds at most
 * `maxAttempts` times per session, however many checks run at once, so at most that many
 * codes are ever compared. Every reserved attempt is compared in settleAttempt.
 */
export function request(ctx: Context) {
  const { sessionId, now } = ctx.stash.verify as VerifyStash
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: sessionKey(sessionId) }),
    update: {
      expression: 'SET attempts = attempts + :one',
      expressionValues: util.dynamodb.toMapValues({ ':one': 1 }),
    },
    condition: {
      expression: '#status = :pending AND attempts < maxAttempts AND expiresAt > :now',
      expressionNames: { '#status': 'status' },
      expressionValues: util.dynamodb.toMapValues({ ':pending': 'PENDING', ':now': now }),
    },
  }
}

/** Keeps the reserved attempt number; a lost race is classified by re-reading in settleAttempt. */
export function response(ctx: Context) {
  const verify = ctx.stash.verify as VerifyStash
  if (ctx.error) {
    if (ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
      storageFailure(ctx.error.type)
    verify.attempt = undefined
    return null
  }
  const session = ctx.result as SessionItem
  verify.session = session
  verify.attempt = session.attempts
  return null
}
