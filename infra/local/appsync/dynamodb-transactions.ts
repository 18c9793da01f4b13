/**
 * TransactWriteItems as AppSync runs it. A write transaction returns
 * `{ keys, cancellationReasons: null }`; a cancelled one sets `ctx.error` to
 * `DynamoDB:TransactionCanceledException` and `ctx.result` to `{ keys: null, cancellationReasons }`,
 * one `{ type, message, item? }` per request item in order, `item` being the stored item that failed
 * its condition (returned unless `returnValuesOnConditionCheckFailure` is false).
 */
import {
  TransactWriteItemsCommand,
  type ConsumedCapacity,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb'
import type { DataSourceOutcome } from './data-sources.js'
import type { DynamoDbTarget } from './dynamodb-target.js'
import { isServiceError, toDataSourceError } from './dynamodb-errors.js'
import { expressionAttributes, type RequestExpression } from './dynamodb-expressions.js'
import { fromItem, MalformedRequestError, toAttributeMap } from './dynamodb-json.js'

type TransactItem = Record<string, unknown> & {
  table?: unknown
  operation?: unknown
  key?: unknown
}

function items(request: Record<string, unknown>): TransactItem[] {
  if (!Array.isArray(request.transactItems))
    throw new MalformedRequestError('transactItems must be a list')
  return request.transactItems as TransactItem[]
}

function tableOf(item: TransactItem, index: number): string {
  if (typeof item.table !== 'string' || item.table === '')
    throw new MalformedRequestError(`transactItems[${index}].table must name a table`)
  return item.table
}

function toWriteItem(item: TransactItem, index: number): TransactWriteItem {
  const where = `transactItems[${index}]`
  const condition = item.condition as RequestExpression | undefined
  const base = {
    TableName: tableOf(item, index),
    Key: toAttributeMap(item.key, `${where}.key`),
    ...(condition ? { ConditionExpression: condition.expression } : {}),
    ReturnValuesOnConditionCheckFailure:
      condition?.returnValuesOnConditionCheckFailure === false
        ? ('NONE' as const)
        : ('ALL_OLD' as const),
  }
  switch (item.operation) {
    case 'PutItem': {
      const { Key, ...rest } = base
      return {
        Put: {
          ...rest,
          Item: {
            ...toAttributeMap(item.attributeValues ?? {}, `${where}.attributeValues`),
            ...Key,
          },
          ...expressionAttributes(condition),
        },
      }
    }
    case 'UpdateItem': {
      const update = item.update as RequestExpression | undefined
      if (typeof update?.expression !== 'string')
        throw new MalformedRequestError(`${where}.update.expression must be a string`)
      return {
        Update: {
          ...base,
          UpdateExpression: update.expression,
          ...expressionAttributes(update, condition),
        },
      }
    }
    case 'DeleteItem':
      return { Delete: { ...base, ...expressionAttributes(condition) } }
    case 'ConditionCheck':
      if (!condition) throw new MalformedRequestError(`${where}: ConditionCheck needs a condition`)
      return {
        ConditionCheck: {
          ...base,
          ConditionExpression: condition.expression,
          ...expressionAttributes(condition),
        },
      }
    default:
      throw new MalformedRequestError(
        `${where}.operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck`,
      )
  }
}

function units(consumed: ConsumedCapacity[] | undefined): number {
  return (consumed ?? []).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0)
}

/** Runs a TransactWriteItems request object. */
export async function transactWriteItems({
  client,
  tally,
  request,
}: DynamoDbTarget): Promise<DataSourceOutcome> {
  const list = items(request)
  const transactItems = list.map(toWriteItem)
  try {
    const output = await client.send(
      new TransactWriteItemsCommand({
        TransactItems: transactItems,
        ReturnConsumedCapacity: 'TOTAL',
      }),
    )
    tally.addWrite(units(output.ConsumedCapacity))
    return {
      result: {
        keys: list.map((item, i) => fromItem(toAttributeMap(item.key, `transactItems[${i}].key`))),
        cancellationReasons: null,
      },
    }
  } catch (error) {
    if (
      !isServiceError(error) ||
      (error as { name?: string }).name !== 'TransactionCanceledException'
    )
      throw error
    // A cancelled transaction is billed but reports no capacity: count what a committed one costs (2 per item).
    tally.addWrite(2 * list.length)
    const reasons =
      (
        error as {
          CancellationReasons?: { Code?: string; Message?: string; Item?: Record<string, never> }[]
        }
      ).CancellationReasons ?? []
    return {
      result: {
        keys: null,
        cancellationReasons: reasons.map((reason) => ({
          type: reason.Code ?? 'None',
          message: reason.Message ?? null,
          ...(reason.Item ? { item: fromItem(reason.Item) } : {}),
        })),
      },
      error: toDataSourceError(error),
    }
  }
}
