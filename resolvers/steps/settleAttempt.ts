import { runtime, util, type Context } from '@aws-appsync/utils'
import type { OtpVerification } from '../../generated/graphql'
import { sessionKey, tokenKey, type SessionItem, type TokenItem } from '../../infra/model'
import { storageFailure, unavailable } from '../lib/errors'
import { readPolicy, ttlAfter } from '../lib/policy'
import { randomId128 } from '../lib/random'
import type { VerifyStash } from '../lib/stash'
import { settledOutcome } from '../lib/verify-state'

type Plan = 'reload' | 'verify' | 'lock'

/**
 * Acts on the comparison. A match consumes the session exactly once and creates the
 * single-use token in the same transaction (S4), removing the code (S6); the last wrong
 * attempt locks the session and removes the code; a lost reservation race re-reads the
 * session to say why. Whatever was not a miss has its failure budget refunded by the next step.
 */
export function request(ctx: Context) {
  const verify = ctx.stash.verify as VerifyStash
  const policy = readPolicy(ctx.env)
  const key = util.dynamodb.toMapValues({ pk: sessionKey(verify.sessionId) })
  const session = verify.session as SessionItem
  if (verify.attempt === undefined) {
    // The check reserved failure budget but compared nothing: refundFailureBudget gives it back.
    ctx.stash.refundBudget = verify.budgetReserved === true
    ctx.stash.plan = 'reload'
    return { operation: 'GetItem', key, consistentRead: true }
  }
  const attemptsRemaining = Math.max(0, session.maxAttempts - verify.attempt)
  if (session.code !== verify.code) {
    const outcome: OtpVerification = { status: 'INVALID_CODE', attemptsRemaining }
    if (attemptsRemaining > 0) runtime.earlyReturn(outcome)
    ctx.stash.plan = 'lock'
    ctx.stash.outcome = outcome
    return {
      operation: 'UpdateItem',
      key,
      update: {
        expression: 'SET #status = :locked, lockedAt = :now REMOVE code',
        expressionNames: { '#status': 'status' },
        expressionValues: util.dynamodb.toMapValues({ ':locked': 'LOCKED', ':now': verify.now }),
      },
      condition: {
        expression: '#status = :pending',
        expressionNames: { '#status': 'status' },
        expressionValues: util.dynamodb.toMapValues({ ':pending': 'PENDING' }),
      },
    }
  }
  const token = randomId128()
  const tokenExpiresAt = verify.now + policy.tokenTtlMs
  const tokenItem: Omit<TokenItem, 'pk'> = {
    kind: 'token',
    email: session.email,
    sessionId: verify.sessionId,
    verifiedAt: verify.now,
    expiresAt: tokenExpiresAt,
    ttl: ttlAfter(tokenExpiresAt),
  }
  ctx.stash.plan = 'verify'
  // A right code is no miss: refundFailureBudget gives its budget back, whoever wins the race.
  ctx.stash.refundBudget = verify.budgetReserved === true
  ctx.stash.verified = {
    status: 'VERIFIED',
    attemptsRemaining: 0,
    verificationToken: token,
    verificationTokenExpiresAt: util.time.epochMilliSecondsToISO8601(tokenExpiresAt),
  }
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table: policy.tableName,
        operation: 'UpdateItem',
        key,
        update: {
          expression: 'SET #status = :verified, verifiedAt = :now REMOVE code',
          expressionNames: { '#status': 'status' },
          expressionValues: util.dynamodb.toMapValues({
            ':verified': 'VERIFIED',
            ':now': verify.now,
          }),
        },
        condition: {
          expression: '#status = :pending',
          expressionNames: { '#status': 'status' },
          expressionValues: util.dynamodb.toMapValues({ ':pending': 'PENDING' }),
        },
      },
      {
        table: policy.tableName,
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ pk: tokenKey(token) }),
        attributeValues: util.dynamodb.toMapValues(tokenItem),
        condition: { expression: 'attribute_not_exists(pk)' },
      },
    ],
  }
}

export function response(ctx: Context): OtpVerification {
  const plan = ctx.stash.plan as Plan
  const verify = ctx.stash.verify as VerifyStash
  if (plan === 'reload') {
    if (ctx.error) unavailable()
    const outcome = settledOutcome(ctx.result as SessionItem | null, verify.now)
    if (!outcome) unavailable()
    ctx.stash.outcome = outcome
    return outcome as OtpVerification
  }
  if (plan === 'lock') {
    if (ctx.error && ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
      storageFailure(ctx.error.type)
    return ctx.stash.outcome
  }
  if (ctx.error) {
    const reasons = (ctx.result?.cancellationReasons ?? []) as { type?: string }[]
    // Only a failed `status = PENDING` condition means another check verified the session first.
    if (reasons[0]?.type !== 'ConditionalCheckFailed') storageFailure(ctx.error.type, reasons)
    ctx.stash.outcome = { status: 'ALREADY_USED', attemptsRemaining: 0 }
    return ctx.stash.outcome
  }
  ctx.stash.outcome = ctx.stash.verified
  return ctx.stash.verified
}
