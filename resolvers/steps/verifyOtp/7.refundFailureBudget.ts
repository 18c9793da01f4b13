import { runtime, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { canonicalMailbox } from '../../../infra/mailbox'
import { failureLimits } from '../../lib/limits'
import { readPolicy } from '../../lib/policy'
import type { VerifyOtpStash } from '../../lib/stash'
import { uncountInWindow } from '../../lib/window-counter'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * Gives back, in one transaction, every failed-check count a check reserved but did not spend on
 * a miss: a right code (verified, or too late because another check settled the session first),
 * or a check that found no attempt left. The limits count misses only. Kept out of the verify
 * transaction so that checks reserving on the same counters can never make that one conflict.
 */
export function request(ctx: VerifyOtpContext) {
  const { budgetReserved, verdict, session, check } = ctx.stash
  const noMiss = verdict === 'right' || verdict === 'lost'
  if (!budgetReserved || !noMiss || !session) runtime.earlyReturn(null)
  const policy = readPolicy(ctx.env)
  const mailbox = canonicalMailbox(session.email)
  return {
    operation: 'TransactWriteItems',
    transactItems: failureLimits(policy, check.requester, mailbox, check.now).map((limit) => ({
      table: policy.tableName,
      operation: 'UpdateItem',
      ...uncountInWindow(limit.pk),
    })),
  }
}

/** The outcome stands whatever the refund did: a failed refund only leaves the limits stricter. */
export function response(): null {
  return null
}
