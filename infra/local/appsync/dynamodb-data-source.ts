/**
 * The DynamoDB data source: executes AppSync's JS request objects against one table through
 * `@aws-sdk/client-dynamodb` and returns what AppSync's DynamoDB data source returns: plain JSON
 * (GetItem: the item or null; PutItem: the item written; UpdateItem: ALL_NEW; DeleteItem: ALL_OLD;
 * TransactWriteItems: `{ keys, cancellationReasons }`), with DynamoDB errors in `ctx.error`.
 * Request objects are checked first (dynamodb-request-shape.ts): keys AppSync does not accept and
 * operations the local runtime does not run (Query, Scan, batches, TransactGetItems, Sync) are refused.
 * Every call asks for `ReturnConsumedCapacity: TOTAL` and adds it to the tally.
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb'
import { handleConditionFailure } from './dynamodb-condition.js'
import { expressionAttributes, type RequestExpression } from './dynamodb-expressions.js'
import { conditionFailed, isServiceError, toDataSourceError } from './dynamodb-errors.js'
import { fromItem, MalformedRequestError, toAttributeMap } from './dynamodb-json.js'
import { checkRequestShape } from './dynamodb-request-shape.js'
import type { DynamoDbDataSourceOptions, DynamoDbTarget } from './dynamodb-target.js'
import { transactWriteItems } from './dynamodb-transactions.js'
import { InvalidRequestError, type DataSource, type DataSourceOutcome } from './data-sources.js'

export type { DynamoDbDataSourceOptions } from './dynamodb-target.js'

function asCondition(request: Record<string, unknown>): RequestExpression | undefined {
  const condition = request.condition as RequestExpression | undefined | null
  if (condition === undefined || condition === null) return undefined
  if (typeof condition.expression !== 'string')
    throw new MalformedRequestError('condition.expression must be a string')
  return condition
}

function conditionParameters(condition: RequestExpression | undefined) {
  if (!condition) return {}
  return { ConditionExpression: condition.expression }
}

async function getItem({
  client,
  tableName,
  tally,
  request,
}: DynamoDbTarget): Promise<DataSourceOutcome> {
  const projection = request.projection as RequestExpression | undefined
  const output = await client.send(
    new GetItemCommand({
      TableName: tableName,
      Key: toAttributeMap(request.key, 'key'),
      ConsistentRead: request.consistentRead === true,
      ProjectionExpression: projection?.expression,
      ...expressionAttributes(projection),
      ReturnConsumedCapacity: 'TOTAL',
    }),
  )
  tally.addRead(output.ConsumedCapacity?.CapacityUnits)
  return { result: output.Item ? fromItem(output.Item) : null }
}

async function writeItem(target: DynamoDbTarget): Promise<DataSourceOutcome> {
  const { client, tableName, tally, request } = target
  const key = toAttributeMap(request.key, 'key')
  const condition = asCondition(request)
  const common = {
    TableName: tableName,
    ReturnConsumedCapacity: 'TOTAL' as const,
    ...conditionParameters(condition),
  }
  let written: Record<string, AttributeValue> | undefined
  try {
    if (request.operation === 'PutItem') {
      written = { ...toAttributeMap(request.attributeValues ?? {}, 'attributeValues'), ...key }
      const output = await client.send(
        new PutItemCommand({ ...common, Item: written, ...expressionAttributes(condition) }),
      )
      tally.addWrite(output.ConsumedCapacity?.CapacityUnits)
      return { result: fromItem(written) }
    }
    if (request.operation === 'UpdateItem') {
      const update = request.update as RequestExpression | undefined
      if (typeof update?.expression !== 'string')
        throw new MalformedRequestError('update.expression must be a string')
      const output = await client.send(
        new UpdateItemCommand({
          ...common,
          Key: key,
          UpdateExpression: update.expression,
          ReturnValues: 'ALL_NEW',
          ...expressionAttributes(update, condition),
        }),
      )
      tally.addWrite(output.ConsumedCapacity?.CapacityUnits)
      return { result: output.Attributes ? fromItem(output.Attributes) : null }
    }
    const output = await client.send(
      new DeleteItemCommand({
        ...common,
        Key: key,
        ReturnValues: 'ALL_OLD',
        ...expressionAttributes(condition),
      }),
    )
    tally.addWrite(output.ConsumedCapacity?.CapacityUnits)
    return { result: output.Attributes ? fromItem(output.Attributes) : null }
  } catch (error) {
    if (!condition || (error as { name?: string }).name !== 'ConditionalCheckFailedException')
      throw error
    // DynamoDB bills a rejected conditional write but reports no capacity for it: count one unit.
    tally.addWrite(1)
    const requestId = (error as { $metadata?: { requestId?: string } }).$metadata?.requestId
    return (
      (await handleConditionFailure(target, key, written, condition)) ?? {
        result: null,
        error: conditionFailed(requestId),
      }
    )
  }
}

const operations: Record<string, (target: DynamoDbTarget) => Promise<DataSourceOutcome>> = {
  GetItem: getItem,
  PutItem: writeItem,
  UpdateItem: writeItem,
  DeleteItem: writeItem,
  TransactWriteItems: transactWriteItems,
}

/** A DynamoDB data source bound to one table. */
export function createDynamoDbDataSource(options: DynamoDbDataSourceOptions): DataSource {
  return {
    async invoke(request) {
      checkRequestShape(request)
      const operation = operations[String(request.operation)]
      if (!operation) throw new InvalidRequestError(`No handler for ${String(request.operation)}`)
      try {
        return await operation({ ...options, request })
      } catch (error) {
        if (error instanceof MalformedRequestError) throw new InvalidRequestError(error.message)
        if (isServiceError(error)) return { result: null, error: toDataSourceError(error) }
        throw error
      }
    },
  }
}
