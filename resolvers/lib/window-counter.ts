import { util } from '@aws-appsync/utils'
import type { WindowCounterItem } from '../../infra/model'
import { ttlAfter } from './policy'

/** The key, update and condition of one DynamoDB write, without the operation or table. */
export interface CounterWrite {
  key: Record<string, unknown>
  update: {
    expression: string
    expressionNames: Record<string, string>
    expressionValues: Record<string, unknown>
  }
  condition: {
    expression: string
    expressionNames: Record<string, string>
    expressionValues: Record<string, unknown>
  }
}

/**
 * Counts one event on the fixed-window counter `pk` (the item is created on the first count and
 * cleaned up by TTL after the window ends), refused once the count has reached `max`: the send
 * quota and the failed-check budget (S3). The same parts serve an UpdateItem request and an
 * UpdateItem inside a transaction.
 */
export function countInWindow(
  pk: string,
  kind: WindowCounterItem['kind'],
  windowEndsAt: number,
  max: number,
): CounterWrite {
  return {
    key: util.dynamodb.toMapValues({ pk }),
    update: {
      expression: 'SET #kind = :kind, #ttl = :ttl ADD #count :one',
      expressionNames: { '#kind': 'kind', '#ttl': 'ttl', '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({
        ':kind': kind,
        ':ttl': ttlAfter(windowEndsAt),
        ':one': 1,
      }),
    },
    condition: {
      expression: 'attribute_not_exists(#count) OR #count < :max',
      expressionNames: { '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({ ':max': max }),
    },
  }
}

/** Takes back one count from the counter `pk`; never below zero, never creating the item. */
export function uncountInWindow(pk: string): CounterWrite {
  return {
    key: util.dynamodb.toMapValues({ pk }),
    update: {
      expression: 'ADD #count :minusOne',
      expressionNames: { '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({ ':minusOne': -1 }),
    },
    condition: {
      expression: '#count > :zero',
      expressionNames: { '#count': 'count' },
      expressionValues: util.dynamodb.toMapValues({ ':zero': 0 }),
    },
  }
}
