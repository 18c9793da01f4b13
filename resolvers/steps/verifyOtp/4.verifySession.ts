import { runtime, util, type Context } from '@aws-appsync/utils'
import type { MutationVerifyOtpArgs } from '../../../generated/graphql'
import { sessionKey, tokenKey, type SessionItem, type TokenItem } from '../../../infra/model'
import { storageFailure, unavailable } from '../../lib/errors'
import { readPolicy, ttlAfter } from '../../lib/policy'
import { randomId128 } from '../../lib/random'
import type { VerifyOtpStash } from '../../lib/stash'
import { settledOutcome } from '../../lib/verify-state'

type VerifyOtpContext = Context<MutationVerifyOtpArgs, VerifyOtpStash>

/**
 * For a right code: one transaction consumes the session exactly once, removing the code, and
 * creates the single-use token (S4, S6). Both writes are conditional: the session must still
 * be PENDING, and the token must not exist yet.
 */
export function request(ctx: VerifyOtpContext) {
  const { verdict, session, check } = ctx.stash
  if (verdict !== 'right' || !session) runtime.earlyReturn(null)
  const policy = readPolicy(ctx.env)
  const token = { value: randomId128(), expiresAt: check.now + policy.tokenTtlMs }
  ctx.stash.token = token
  const tokenItem: Omit<TokenItem, 'pk'> = {
    kind: 'token',
    email: session.email,
    sessionId: check.sessionId,
    verifiedAt: check.now,
    expiresAt: token.expiresAt,
    ttl: ttlAfter(token.expiresAt),
    ...(session.nonce ? { nonce: session.nonce } : {}),
  }
  return {
    operation: 'TransactWriteItems',
    transactItems: [
      {
        table: policy.tableName,
        operation: 'UpdateItem',
        key: util.dynamodb.toMapValues({ pk: sessionKey(check.sessionId) }),
        update: {
          expression: 'SET #status = :verified, verifiedAt = :now REMOVE code',
          expressionNames: { '#status': 'status' },
          expressionValues: util.dynamodb.toMapValues({
            ':verified': 'VERIFIED',
            ':now': check.now,
          }),
        },
        condition: {
          expression: '#status = :pending',
          expressionNames: { '#status': 'status' },
          expressionValues: util.dynamodb.toMapValues({ ':pending': 'PENDING' }),
          returnValuesOnConditionCheckFailure: true,
        },
      },
      {
        table: policy.tableName,
        operation: 'PutItem',
        key: util.dynamodb.toMapValues({ pk: tokenKey(token.value) }),
        attributeValues: util.dynamodb.toMapValues(tokenItem),
        condition: { expression: 'attribute_not_exists(pk)' },
      },
    ],
  }
}

/**
 * VERIFIED with the token; or, when a concurrent check settled the session first, what that
 * check left: ALREADY_USED after a verification, LOCKED after the last wrong code.
 */
export function response(ctx: VerifyOtpContext): null {
  const { check, token } = ctx.stash
  if (ctx.error) {
    const reasons = (ctx.result?.cancellationReasons ?? []) as {
      type?: string
      item?: SessionItem
    }[]
    const sessionReason = reasons[0]
    if (sessionReason?.type !== 'ConditionalCheckFailed') storageFailure(ctx.error.type, reasons)
    const stored = sessionReason.item
    ctx.stash.outcome = (stored && settledOutcome(stored, check.now)) ?? unavailable()
    return null
  }
  if (!token) unavailable()
  ctx.stash.outcome = {
    status: 'VERIFIED',
    attemptsRemaining: 0,
    verificationToken: token.value,
    verificationTokenExpiresAt: util.time.epochMilliSecondsToISO8601(token.expiresAt),
  }
  return null
}
