import { util, type Context } from '@aws-appsync/utils'
import type { MutationRequestOtpArgs, OtpChallenge } from '../../../generated/graphql'
import { addressKey, sendWindowKey, sessionKey, type SessionItem } from '../../../infra/model'
import { storageFailure, tooManyRequests } from '../../lib/errors'
import { fixedWindow, readPolicy, secondsUntil, ttlAfter } from '../../lib/policy'
import type { RequestOtpStash } from '../../lib/stash'
import { countInWindow } from '../../lib/window-counter'

type RequestOtpContext = Context<MutationRequestOtpArgs, RequestOtpStash>

/**
 * One transaction: the resend cooldown, the send quota of the current window and the new
 * session change together or not at all (S3), so concurrent requests for one address can
 * never exceed the quota. The session is only ever created, never overwritten.
 */
export function request(ctx: RequestOtpContext) {
  const policy = readPolicy(ctx.env)
  const { now, sessionId, email, code, nonce } = ctx.stash.newSession
  const window = fixedWindow(now, policy.sendWindowMs)
  const expiresAt = now + policy.codeTtlMs
  const session: Omit<SessionItem, 'pk'> = {
    kind: 'session',
    sessionId,
    email,
    code,
    codeLength: code.length,
    status: 'PENDING',
    attempts: 0,
    maxAttempts: policy.maxAttempts,
    createdAt: now,
    expiresAt,
    ttl: ttlAfter(expiresAt),
    ...(nonce ? { nonce } : {}),
  }
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table: policy.tableName,
        operation: 'UpdateItem',
        key: util.dynamodb.toMapValues({ pk: addressKey(email) }),
        update: {
          expression: 'SET #kind = :kind, lastSentAt = :now, #ttl = :ttl',
          expressionNames: { '#kind': 'kind', '#ttl': 'ttl' },
          expressionValues: util.dynamodb.toMapValues({
            ':kind': 'address',
            ':now': now,
            ':ttl': ttlAfter(now + policy.sendWindowMs),
          }),
        },
        condition: {
          expression: 'attribute_not_exists(pk) OR lastSentAt <= :cooldownEdge',
          expressionValues: util.dynamodb.toMapValues({ ':cooldownEdge': now - policy.cooldownMs }),
          returnValuesOnConditionCheckFailure: true,
        },
      },
      {
        table: policy.tableName,
        operation: 'UpdateItem',
        ...countInWindow(
          sendWindowKey(email, window.index),
          'sendWindow',
          window.endsAt,
          policy.maxSends,
        ),
      },
      {
        table: policy.tableName,
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ pk: sessionKey(sessionId) }),
        attributeValues: util.dynamodb.toMapValues(session),
        // A colliding id would hand back the stored session, code included: ask for nothing.
        condition: {
          expression: 'attribute_not_exists(pk)',
          returnValuesOnConditionCheckFailure: false,
        },
      },
    ],
  }
}

/** Maps a cancelled transaction to the limit that refused it; otherwise returns the challenge. */
export function response(ctx: RequestOtpContext): OtpChallenge {
  const policy = readPolicy(ctx.env)
  const { now, sessionId, email, code } = ctx.stash.newSession
  if (ctx.error) {
    const reasons = (ctx.result?.cancellationReasons ?? []) as {
      type?: string
      item?: { lastSentAt?: number }
    }[]
    const cooldown = reasons[0]?.type === 'ConditionalCheckFailed'
    const quota = reasons[1]?.type === 'ConditionalCheckFailed'
    if (ctx.error.type !== 'DynamoDB:TransactionCanceledException' || (!cooldown && !quota))
      storageFailure(ctx.error.type, reasons)
    const cooldownEnds = (reasons[0]?.item?.lastSentAt ?? now) + policy.cooldownMs
    const windowEnds = fixedWindow(now, policy.sendWindowMs).endsAt
    const retryAt = quota ? Math.max(windowEnds, cooldown ? cooldownEnds : 0) : cooldownEnds
    const message = quota
      ? 'Too many codes were requested for this address; wait before asking for another.'
      : 'A code was just sent to this address; wait before asking for another.'
    tooManyRequests(message, secondsUntil(retryAt, now), quota ? 'SEND_QUOTA' : 'RESEND_COOLDOWN')
  }
  return {
    sessionId,
    email,
    expiresAt: util.time.epochMilliSecondsToISO8601(now + policy.codeTtlMs),
    codeLength: code.length,
    maxAttempts: policy.maxAttempts,
    resendAvailableAt: util.time.epochMilliSecondsToISO8601(now + policy.cooldownMs),
  }
}
