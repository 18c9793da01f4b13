/**
 * The delivery state machine on the session item (S8): a conditional claim before SES is called,
 * then SENT, RETRY (claim released) or FAILED, each written only while the claim is still ours.
 *
 *   (none) | RETRY | SENDING with an expired lease ──claim──▶ SENDING ──▶ SENT | RETRY | FAILED
 */
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import { sessionKey, type DeliveryStatus, type SessionItem } from '../../infra/model.js'

export type ClaimResult =
  | { claimed: true; session: SessionItem; attempt: number }
  | { claimed: false; session: SessionItem | undefined }

const s = (value: string): AttributeValue => ({ S: value })
const n = (value: number): AttributeValue => ({ N: String(value) })

/** The delivery writes for one table; every write after the claim holds only while the claim is ours. */
export interface DeliveryLedger {
  /**
   * Claims the right to send a session's email: sets SENDING with a lease until `leaseUntil`
   * (epoch ms) and counts the attempt, only if nobody has sent it, is sending it under a live
   * lease, or gave up on it. Returns the session as it is after the claim, or as it was when the
   * claim was refused (`undefined` when the item does not exist).
   */
  claim(sessionId: string, now: number, leaseUntil: number): Promise<ClaimResult>
  /** Records the mail as sent. False when the claim was lost meanwhile (the mail went out regardless). */
  recordSent(sessionId: string, attempt: number, messageId: string): Promise<boolean>
  /** Gives the claim back so that the next delivery of the record may try again. */
  release(sessionId: string, attempt: number): Promise<boolean>
  /** Marks the delivery FAILED for good, with a short reason that names neither the address nor the code. */
  markFailed(sessionId: string, attempt: number, reason: string): Promise<boolean>
}

/** The ledger over the session items of `tableName`. */
export function deliveryLedger(db: DynamoDBClient, tableName: string): DeliveryLedger {
  const key = (sessionId: string) => ({ pk: s(sessionKey(sessionId)) })

  const claim = async (
    sessionId: string,
    now: number,
    leaseUntil: number,
  ): Promise<ClaimResult> => {
    try {
      const result = await db.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(sessionId),
          UpdateExpression:
            'SET delivery = :sending, deliveryLeaseUntil = :lease ADD deliveryAttempts :one',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(delivery) OR delivery = :retry OR (delivery = :sending AND deliveryLeaseUntil < :now))',
          ExpressionAttributeValues: {
            ':sending': s('SENDING'),
            ':retry': s('RETRY'),
            ':lease': n(leaseUntil),
            ':now': n(now),
            ':one': n(1),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      const session = unmarshall(result.Attributes ?? {}) as SessionItem
      return { claimed: true, session, attempt: session.deliveryAttempts ?? 1 }
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error
      return {
        claimed: false,
        session: error.Item ? (unmarshall(error.Item) as SessionItem) : undefined,
      }
    }
  }

  const settle = async (
    sessionId: string,
    attempt: number,
    status: Exclude<DeliveryStatus, 'SENDING'>,
    extra: { messageId?: string; reason?: string },
  ): Promise<boolean> => {
    const assignments = ['delivery = :status']
    const values: Record<string, AttributeValue> = {
      ':status': s(status),
      ':sending': s('SENDING'),
      ':attempt': n(attempt),
    }
    if (extra.messageId !== undefined) {
      assignments.push('deliveryMessageId = :messageId')
      values[':messageId'] = s(extra.messageId)
    }
    if (extra.reason !== undefined) {
      assignments.push('deliveryError = :reason')
      values[':reason'] = s(extra.reason)
    }
    try {
      await db.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key(sessionId),
          UpdateExpression: `SET ${assignments.join(', ')} REMOVE deliveryLeaseUntil`,
          // A later claim (after our lease ran out) owns the item now; its outcome wins.
          ConditionExpression: 'delivery = :sending AND deliveryAttempts = :attempt',
          ExpressionAttributeValues: values,
        }),
      )
      return true
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false
      throw error
    }
  }

  return {
    claim,
    recordSent: (sessionId, attempt, messageId) =>
      settle(sessionId, attempt, 'SENT', { messageId }),
    release: (sessionId, attempt) => settle(sessionId, attempt, 'RETRY', {}),
    markFailed: (sessionId, attempt, reason) => settle(sessionId, attempt, 'FAILED', { reason }),
  }
}

/** When an invocation must be done with a record (epoch ms). */
export interface InvocationTime {
  /** No SES call may start or run past this: the invocation's end less the time to settle. */
  sendDeadline: number
  /** The invocation has surely ended by then: its claims last until this moment, no longer. */
  leaseUntil: number
}

/** Pause between claim attempts while another invocation's lease is live. */
const HELD_CLAIM_POLL_MS = 1_000

/**
 * Claims a session, waiting while another invocation holds it. Lambda never hands one shard's
 * records to two invocations at once, so a live lease on redelivery belongs to an invocation that
 * crashed or timed out before settling; its lease ends with that invocation's time limit. Waiting
 * (until `latest`, epoch ms) rather than answering "retry" at once keeps a quick succession of
 * event-source retries from being spent before the lease runs out.
 */
export async function claimWhenFree(
  ledger: DeliveryLedger,
  sessionId: string,
  leaseUntil: number,
  latest: number,
  clock: { now: () => number; sleep: (ms: number) => Promise<void> },
): Promise<ClaimResult> {
  for (;;) {
    const result = await ledger.claim(sessionId, clock.now(), leaseUntil)
    if (result.claimed || result.session?.delivery !== 'SENDING') return result
    const now = clock.now()
    const heldFor = (result.session.deliveryLeaseUntil ?? now) - now
    const wait = Math.min(HELD_CLAIM_POLL_MS, Math.max(1, heldFor + 1), latest - now)
    if (wait <= 0) return result
    await clock.sleep(wait)
  }
}
