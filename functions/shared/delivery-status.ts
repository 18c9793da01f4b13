/**
 * The public delivery state of a session (S14), written by both Lambdas through one function: the
 * email Lambda records `SENT` and `FAILED`, the SES event handler `DELIVERED`, `DELAYED`,
 * `BOUNCED` and `COMPLAINED` (and `SENT` again from SES's Send event, which changes nothing when
 * the email Lambda got there first).
 */
import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { DELIVERY_STATUS_RANK, sessionKey, type OtpDeliveryStatus } from '../../infra/model.js'

/** One step of a session's delivery state. */
export interface DeliveryTransition {
  sessionId: string
  status: Exclude<OtpDeliveryStatus, 'QUEUED'>
  /** Epoch milliseconds at which the state was reached. */
  at: number
  /** A short machine word, never the address or the code. */
  reason?: string
}

/**
 * Called once after each transition that moved a session's state, with that transition: the one
 * place where the state is announced (the real-time update of the browser will go here). A
 * transition that changed nothing (late, repeated, or for a session that no longer exists) is not
 * announced. Rejecting makes `record` reject; the state is written by then.
 */
export type AfterTransition = (transition: DeliveryTransition) => Promise<void>

export interface DeliveryStatusWriter {
  /**
   * Moves the session to `transition.status` if its current state ranks lower (see
   * `DELIVERY_STATUS_RANK`) and the session exists, then calls the `AfterTransition` hook.
   * Resolves true when the state moved, false when the write changed nothing.
   */
  record(transition: DeliveryTransition): Promise<boolean>
}

const nothingAfterTransition: AfterTransition = async () => undefined

/**
 * The writer over the session items of `tableName`. Each transition is one conditional
 * `UpdateItem` (`deliveryRank` lower than the new rank, or absent), so reordered, repeated and
 * concurrent events settle on the highest state whatever their order, and never create an item.
 */
export function deliveryStatusWriter(
  db: DynamoDBClient,
  tableName: string,
  afterTransition: AfterTransition = nothingAfterTransition,
): DeliveryStatusWriter {
  return {
    async record(transition) {
      const rank = DELIVERY_STATUS_RANK[transition.status]
      const reason = transition.reason === undefined ? undefined : { S: transition.reason }
      const delivered = transition.status === 'DELIVERED'
      try {
        await db.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: sessionKey(transition.sessionId) } },
            UpdateExpression: [
              'SET deliveryStatus = :status, deliveryStatusAt = :at, deliveryRank = :rank',
              // A DELIVERED stays on record after a complaint or late bounce moves the state on.
              delivered ? ', deliveredAt = :at' : '',
              reason ? ', deliveryReason = :reason' : ' REMOVE deliveryReason',
            ].join(''),
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(deliveryRank) OR deliveryRank < :rank)',
            ExpressionAttributeValues: {
              ':status': { S: transition.status },
              ':at': { N: String(transition.at) },
              ':rank': { N: String(rank) },
              ...(reason ? { ':reason': reason } : {}),
            },
          }),
        )
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false
        throw error
      }
      await afterTransition(transition)
      return true
    },
  }
}
