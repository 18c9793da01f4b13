/**
 * AppSync's handling of a failed condition on PutItem/UpdateItem/DeleteItem: it reads the item
 * (strongly consistent unless `condition.consistentRead` is false) and, when the item already
 * is what the write would have produced, reports success anyway. See "Handling a condition check
 * failure" in the AppSync DynamoDB condition-expression reference.
 *
 * - PutItem: success when the stored item equals the item written, ignoring `equalsIgnore`.
 * - DeleteItem: success when no item is stored (the result is then null).
 * - UpdateItem: the desired item cannot be derived from an update expression here, so a failed
 *   condition is always an error (AppSync documents the comparison for writes whose result it can
 *   determine).
 * The `Custom` strategy (a Lambda that decides) is refused before the call (dynamodb-request-shape.ts).
 */
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import type { DataSourceOutcome } from './data-sources.js'
import type { DynamoDbTarget } from './dynamodb-target.js'
import type { RequestExpression } from './dynamodb-expressions.js'
import { fromItem } from './dynamodb-json.js'

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

function without(
  item: Record<string, unknown>,
  ignored: readonly string[],
): Record<string, unknown> {
  const copy = { ...item }
  for (const name of ignored) delete copy[name]
  return copy
}

/** The outcome when the failed write counts as a success after all, else undefined (a `Reject`). */
export async function handleConditionFailure(
  { client, tableName, tally, request }: DynamoDbTarget,
  key: Record<string, AttributeValue>,
  written: Record<string, AttributeValue> | undefined,
  condition: RequestExpression,
): Promise<DataSourceOutcome | undefined> {
  if (request.operation === 'UpdateItem') return undefined
  const output = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: key,
      ConsistentRead: condition.consistentRead !== false,
      ReturnConsumedCapacity: 'TOTAL',
    }),
  )
  tally.addRead(output.ConsumedCapacity?.CapacityUnits)
  const stored = output.Item ? fromItem(output.Item) : undefined
  if (request.operation === 'DeleteItem') return stored === undefined ? { result: null } : undefined
  if (stored === undefined || written === undefined) return undefined
  const ignored = condition.equalsIgnore ?? []
  const desired = fromItem(written)
  return canonical(without(stored, ignored)) === canonical(without(desired, ignored))
    ? { result: stored }
    : undefined
}
