import { runtime, util, type Context } from '@aws-appsync/utils'
import { failureWindowKey } from '../../infra/model'
import { fixedWindow, readPolicy } from '../lib/policy'
import type { VerifyStash } from '../lib/stash'

/**
 * Gives back the failed-check budget a check reserved but did not spend on a miss: a right
 * code (verified, or too late because another check verified first), or a check that lost the
 * race for an attempt. S3 counts misses only. Kept out of the verify transaction so that checks
 * reserving budget on the same counter can never make that transaction conflict.
 */
export function request(ctx: Context) {
  if (!ctx.stash.refundBudget) runtime.earlyReturn(ctx.prev.result)
  const verify = ctx.stash.verify as VerifyStash
  const window = fixedWindow(verify.now, readPolicy(ctx.env).failureWindowMs)
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({
      pk: failureWindowKey(verify.session?.email ?? '', window.index),
    }),
    update: {
      expression: 'ADD #count :minusOne',
      expressionNames: { '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({ ':minusOne': -1 }),
    },
    condition: {
      expression: '#count > :zero',
      expressionNames: { '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({ ':zero': 0 }),
    },
  }
}

/** The outcome stands whatever the refund did: a failed refund only leaves the budget stricter. */
export function response(ctx: Context) {
  return ctx.stash.outcome
}
