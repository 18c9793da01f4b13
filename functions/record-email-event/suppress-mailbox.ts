import {
  ConditionalCheckFailedException,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb'
import { marshall } from '@aws-sdk/util-dynamodb'
import { canonicalMailbox } from '../../infra/mailbox.js'
import { suppressionKey, type SuppressionItem } from '../../infra/model.js'

/**
 * Marks the canonical mailbox of `address` suppressed (S13), so that requestOtp refuses it without
 * sending. The first suppression stays: a later bounce or complaint of the same mailbox changes
 * nothing. Resolves true when this call suppressed the mailbox, false when it already was.
 */
export async function suppressMailbox(
  db: DynamoDBClient,
  tableName: string,
  suppression: { address: string; reason: SuppressionItem['reason']; at: number },
): Promise<boolean> {
  const item: SuppressionItem = {
    pk: suppressionKey(canonicalMailbox(suppression.address.trim())),
    kind: 'suppression',
    reason: suppression.reason,
    suppressedAt: suppression.at,
  }
  try {
    await db.send(
      new PutItemCommand({
        TableName: tableName,
        Item: marshall(item),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    )
    return true
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false
    throw error
  }
}
