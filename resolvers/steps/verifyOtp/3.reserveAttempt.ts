import { util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { sessionKey, type SessionItem } from '../../../infra/model'
import { storageFailure } from '../../lib/errors'
import type { VerifyOtpStash } from '../../lib/stash'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * Reserves one attempt before comparing (S2): the conditional increment succeeds at most
 * `maxAttempts` times per session, however many checks run at once, and never once the
 * session is settled or expired (S5), so at most that many codes are ever compared.
 */
export function request(ctx: VerifyOtpContext) {
  const { sessionId, now } = ctx.stash.check
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

/**
 * Compares the code against the session as the reservation left it, and records the verdict
 * the next steps act on (see `AttemptVerdict`). A miss with attempts left is answered here.
 */
export function response(ctx: VerifyOtpContext): null {
  if (ctx.error) {
    if (ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
      storageFailure(ctx.error.type)
    ctx.stash.verdict = 'lost'
    return null
  }
  const session = ctx.result as SessionItem
  ctx.stash.session = session
  if (session.code === ctx.stash.check.code) {
    ctx.stash.verdict = 'right'
    return null
  }
  const attemptsRemaining = Math.max(0, session.maxAttempts - session.attempts)
  ctx.stash.verdict = attemptsRemaining > 0 ? 'wrong' : 'lastWrong'
  ctx.stash.outcome = { status: 'INVALID_CODE', attemptsRemaining }
  return null
}
