import { runtime, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { canonicalMailbox } from '../../../infra/mailbox'
import type { SessionItem } from '../../../infra/model'
import { raise, storageFailure } from '../../lib/errors'
import { failureLimits, limitRefusal } from '../../lib/limits'
import { readPolicy } from '../../lib/policy'
import type { VerifyOtpStash } from '../../lib/stash'
import { countInWindow } from '../../lib/window-counter'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/** The failed-check limits this check counts on: the checker and the session's mailbox. */
function limitsOf(ctx: VerifyOtpContext, session: SessionItem) {
  const { requester, now } = ctx.stash.check
  return failureLimits(readPolicy(ctx.env), requester, canonicalMailbox(session.email), now)
}

/**
 * Counts this check, in one transaction, against the failed-check limits of the checker for the
 * mailbox, of the checker, and of the mailbox (S3, S11, S12), before anything else is spent, so
 * guesses spread over many sessions, mailboxes or clients stay bounded. It runs before the attempt
 * is reserved: a refused check costs the session nothing, and no attempt is ever consumed without
 * a comparison. A check that turns out not to be a miss is refunded by refundFailureBudget. Once
 * loadSession has settled the outcome, every later step is skipped.
 */
export function request(ctx: VerifyOtpContext) {
  const { outcome, session } = ctx.stash
  if (outcome || !session) runtime.earlyReturn(outcome ?? null, { skipTo: 'END' })
  const table = readPolicy(ctx.env).tableName
  return {
    operation: 'TransactWriteItems',
    transactItems: limitsOf(ctx, session).map((limit) => ({
      table,
      operation: 'UpdateItem',
      ...countInWindow(limit.pk, 'failureWindow', limit.endsAt, limit.max),
    })),
  }
}

export function response(ctx: VerifyOtpContext): null {
  const { session, check } = ctx.stash
  if (ctx.error) {
    const reasons = (ctx.result?.cancellationReasons ?? []) as { type?: string }[]
    const refused = reasons.map((reason) => reason?.type === 'ConditionalCheckFailed')
    const refusal =
      ctx.error.type === 'DynamoDB:TransactionCanceledException' && session
        ? limitRefusal(limitsOf(ctx, session), refused, check.now)
        : null
    if (!refusal) storageFailure(ctx.error.type, reasons)
    raise(refusal)
  }
  ctx.stash.budgetReserved = true
  return null
}
