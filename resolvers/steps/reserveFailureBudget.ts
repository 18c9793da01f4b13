import { runtime, util, type Context } from '@aws-appsync/utils'
import { failureWindowKey } from '../../infra/model'
import { storageFailure, tooManyRequests } from '../lib/errors'
import { fixedWindow, readPolicy, secondsUntil, ttlAfter } from '../lib/policy'
import type { VerifyStash } from '../lib/stash'

/**
 * Counts this check against the address's failed-check budget before anything else is spent
 * (S3), so guesses spread over many sessions of one address stay bounded. It runs before the
 * attempt is reserved: a refused check costs the session nothing, and no attempt is ever
 * consumed without a comparison. A check that turns out not to be a miss is refunded (in
 * settleAttempt's transaction when it verifies, else by refundFailureBudget).
 */
export function request(ctx: Context) {
  if (ctx.stash.outcome) runtime.earlyReturn(ctx.stash.outcome, { skipTo: 'END' })
  const verify = ctx.stash.verify as VerifyStash
  const policy = readPolicy(ctx.env)
  const window = fixedWindow(verify.now, policy.failureWindowMs)
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({
      pk: failureWindowKey(verify.session?.email ?? '', window.index),
    }),
    update: {
      expression: 'SET #kind = :kind, #ttl = :ttl ADD #count :one',
      expressionNames: { '#kind': 'kind', '#ttl': 'ttl', '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({
        ':kind': 'failureWindow',
        ':ttl': ttlAfter(window.endsAt),
        ':one': 1,
      }),
    },
    condition: {
      expression: 'attribute_not_exists(#count) OR #count < :max',
      expressionNames: { '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({ ':max': policy.maxFailures }),
    },
  }
}

export function response(ctx: Context) {
  if (ctx.error) {
    if (ctx.error.type !== 'DynamoDB:ConditionalCheckFailedException')
      storageFailure(ctx.error.type)
    const { now } = ctx.stash.verify as VerifyStash
    const endsAt = fixedWindow(now, readPolicy(ctx.env).failureWindowMs).endsAt
    tooManyRequests(
      'Too many wrong codes for this address; wait before trying again.',
      secondsUntil(endsAt, now),
      'FAILURE_BUDGET',
    )
  }
  const verify = ctx.stash.verify as VerifyStash
  verify.budgetReserved = true
  return null
}
