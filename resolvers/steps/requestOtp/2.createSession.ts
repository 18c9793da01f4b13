import { util, type Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs } from '../../../generated/graphql'
import { cooldownKey, sessionKey, suppressionKey, type SessionItem } from '../../../infra/model'
import { storageRefusal, type Refusal } from '../../lib/errors'
import { limitRefusal, sendLimits, type Limit } from '../../lib/limits'
import { readPolicy, ttlAfter, type Policy } from '../../lib/policy'
import type { RequestOtpStash } from '../../lib/stash'
import { countInWindow } from '../../lib/window-counter'

type RequestOtpContext = Context<MutationRequestOtpArgs, RequestOtpStash>

/** The session as stored; the stream INSERT of it sends the mail. */
function sessionItem(session: RequestOtpStash['newSession'], policy: Policy) {
  const expiresAt = session.now + policy.codeTtlMs
  const item: Omit<SessionItem, 'pk'> = {
    kind: 'session',
    sessionId: session.sessionId,
    email: session.email,
    code: session.code,
    codeLength: session.code.length,
    status: 'PENDING',
    attempts: 0,
    maxAttempts: policy.maxAttempts,
    createdAt: session.now,
    expiresAt,
    ttl: ttlAfter(expiresAt),
    locale: session.locale,
    ...(session.nonce ? { nonce: session.nonce } : {}),
  }
  return item
}

/**
 * One transaction: the mailbox is not suppressed (S13), the requester's cooldown for it, the
 * send limits of the requester for it, of the requester and of the mailbox (S3, S11, S12), and
 * the new session change together or not at all, so concurrent requests never exceed a limit.
 * The session is only ever created, never overwritten. Item order is what `response` reads.
 */
export function request(ctx: RequestOtpContext) {
  const policy = readPolicy(ctx.env)
  const session = ctx.stash.newSession
  const { now, requester, mailbox } = session
  const table = policy.tableName
  const counters = sendLimits(policy, requester, mailbox, now).map((limit) => ({
    table,
    operation: 'UpdateItem',
    ...countInWindow(limit.pk, 'sendWindow', limit.endsAt, limit.max),
  }))
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table,
        operation: 'ConditionCheck',
        key: util.dynamodb.toMapValues({ pk: suppressionKey(mailbox) }),
        condition: {
          expression: 'attribute_not_exists(pk)',
          returnValuesOnConditionCheckFailure: false,
        },
      },
      {
        table,
        operation: 'UpdateItem',
        key: util.dynamodb.toMapValues({ pk: cooldownKey(requester, mailbox) }),
        update: {
          expression: 'SET #kind = :kind, lastSentAt = :now, #ttl = :ttl',
          expressionNames: { '#kind': 'kind', '#ttl': 'ttl' },
          expressionValues: util.dynamodb.toMapValues({
            ':kind': 'cooldown',
            ':now': now,
            ':ttl': ttlAfter(now + policy.cooldownMs),
          }),
        },
        condition: {
          expression: 'attribute_not_exists(pk) OR lastSentAt <= :cooldownEdge',
          expressionValues: util.dynamodb.toMapValues({ ':cooldownEdge': now - policy.cooldownMs }),
          returnValuesOnConditionCheckFailure: true,
        },
      },
      ...counters,
      {
        table,
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ pk: sessionKey(session.sessionId) }),
        attributeValues: util.dynamodb.toMapValues(sessionItem(session, policy)),
        // A colliding id would hand back the stored session, code included: ask for nothing.
        condition: {
          expression: 'attribute_not_exists(pk)',
          returnValuesOnConditionCheckFailure: false,
        },
      },
    ],
  }
}

/** Why the transaction was cancelled: a suppressed mailbox, the limits that refused, or storage. */
function refusalOf(ctx: RequestOtpContext, policy: Policy): Refusal {
  const { now, requester, mailbox } = ctx.stash.newSession
  const reasons = (ctx.result?.cancellationReasons ?? []) as {
    type?: string
    item?: { lastSentAt?: number }
  }[]
  const refused = reasons.map((reason) => reason?.type === 'ConditionalCheckFailed')
  if (ctx.error?.type !== 'DynamoDB:TransactionCanceledException')
    return storageRefusal(ctx.error?.type, reasons)
  if (refused[0]) {
    return {
      message: 'Mail to this address cannot be delivered; check the address or use another.',
      errorType: 'BadRequest',
      errorInfo: { field: 'email', reason: 'ADDRESS_UNDELIVERABLE' },
    }
  }
  const cooldown: Limit = {
    reason: 'RESEND_COOLDOWN',
    message: 'A code was just sent to this address; wait before asking for another.',
    endsAt: (reasons[1]?.item?.lastSentAt ?? now) + policy.cooldownMs,
  }
  const limits = [cooldown, ...sendLimits(policy, requester, mailbox, now)]
  return limitRefusal(limits, refused.slice(1), now) ?? storageRefusal(ctx.error.type, reasons)
}

/**
 * Records the refusal for the resolver to raise once refundSendBudget has run, or the challenge
 * for the new session (never the code).
 */
export function response(ctx: RequestOtpContext): null {
  const policy = readPolicy(ctx.env)
  if (ctx.error) {
    ctx.stash.refusal = refusalOf(ctx, policy)
    return null
  }
  const { now, sessionId, email, code } = ctx.stash.newSession
  ctx.stash.challenge = {
    sessionId,
    email,
    expiresAt: util.time.epochMilliSecondsToISO8601(now + policy.codeTtlMs),
    codeLength: code.length,
    maxAttempts: policy.maxAttempts,
    resendAvailableAt: util.time.epochMilliSecondsToISO8601(now + policy.cooldownMs),
  }
  return null
}
