/**
 * The events Lambda: the table stream's second reader (the email Lambda is the first; a stream
 * serves two per shard). For each record of a session or token item it reads the item as it is
 * now (the stream is keys-only), maps it with `domainEventsFor`, publishes what was not announced
 * yet, then remembers it in the session's ledger. Records are handled in order; a failure reports
 * that record and every later one, so the event source retries from there (at least once).
 */
import { GetItemCommand } from '@aws-sdk/client-dynamodb'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { unmarshall } from '@aws-sdk/util-dynamodb'
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda'
import { domainEvents } from '../../infra/api.js'
import { sessionKey, type SessionItem, type TokenItem } from '../../infra/model.js'
import { errorName } from '../send-otp-email/ses-errors.js'
import { fromEnvironment, type DomainEventDependencies } from './dependencies.js'
import {
  domainEventsFor,
  subjectOf,
  type DomainEvent,
  type StreamSubject,
} from './domain-events.js'

export type DomainEventHandler = (
  event: DynamoDBStreamEvent,
  context?: unknown,
) => Promise<DynamoDBBatchResponse>

/** Builds a handler over explicit dependencies (the local stack runs it with a file sink). */
export function createHandler(deps: DomainEventDependencies): DomainEventHandler {
  const readItem = async (subject: StreamSubject) => {
    const key = subject.kind === 'session' ? sessionKey(subject.sessionId) : subject.key
    const { Item } = await deps.dynamodb.send(
      new GetItemCommand({
        TableName: deps.tableName,
        Key: { pk: { S: key } },
        ConsistentRead: true,
      }),
    )
    return Item ? (unmarshall(Item) as SessionItem | TokenItem) : undefined
  }

  const handleRecord = async (subject: StreamSubject, salt: string): Promise<DomainEvent[]> => {
    const removed = subject.kind === 'session' && subject.removedByTtl
    const item = removed ? undefined : await readItem(subject)
    const sessionId =
      subject.kind === 'session' ? subject.sessionId : (item as TokenItem | undefined)?.sessionId
    if (!sessionId) return []
    const ledger = await deps.ledger.read(sessionId)
    const events = domainEventsFor({ subject, item, ledger, salt })
    if (events.length === 0) return []
    await deps.sink(events)
    const session = item?.kind === 'session' ? item : undefined
    await deps.ledger.record(
      sessionId,
      events.map((e) => e.detailType),
      {
        addressHash: events[0]?.detail.addressHash ?? '',
        ...(session ? { expiresAt: session.expiresAt, sessionTtl: session.ttl } : {}),
      },
    )
    return events
  }

  return async (event) => {
    const salt = await deps.salt()
    const records = event.Records
    let published = 0
    for (const [index, record] of records.entries()) {
      const subject = subjectOf(record)
      if (!subject) continue
      try {
        for (const e of await handleRecord(subject, salt)) {
          count(e)
          published += 1
        }
      } catch (error) {
        deps.logger.warn('domain events', { outcome: 'retry', reason: errorName(error) })
        if (published > 0) deps.metrics.publishStoredMetrics()
        return {
          batchItemFailures: records
            .slice(index)
            .map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })),
        }
      }
    }
    if (published > 0) deps.metrics.publishStoredMetrics()
    return { batchItemFailures: [] }
  }

  function count(published: DomainEvent): void {
    deps.metrics.addMetric(published.detailType, MetricUnit.Count, 1)
    const { timeToInboxMs } = published.detail
    if (typeof timeToInboxMs === 'number')
      deps.metrics.addMetric(
        domainEvents.metrics.timeToInbox,
        MetricUnit.Milliseconds,
        timeToInboxMs,
      )
    deps.logger.info('domain event', {
      detailType: published.detailType,
      sessionId: published.detail.sessionId,
    })
  }
}

let fromEnv: DomainEventHandler | undefined

/** What Lambda calls: `createHandler(fromEnvironment())`, built on the first invocation. */
export const handler: DomainEventHandler = (event, context) => {
  fromEnv ??= createHandler(fromEnvironment())
  return fromEnv(event, context)
}
