/** The invocation record Lambda sends an on-failure destination when it discards stream records. */
import { randomUUID } from 'node:crypto'
import type { DiscardedRecords } from './batch-runner.js'

/** What Lambda sends its on-failure destination for discarded stream records (metadata only, no data). */
export interface StreamFailureRecord {
  requestContext: {
    requestId: string
    functionArn: string
    condition: DiscardedRecords['condition']
    approximateInvokeCount: number
  }
  responseContext: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' }
  version: '1.0'
  timestamp: string
  DDBStreamBatchInfo: {
    shardId: string
    startSequenceNumber: string
    endSequenceNumber: string
    approximateArrivalOfFirstRecord: string
    approximateArrivalOfLastRecord: string
    batchSize: number
    streamArn: string
  }
}

/**
 * Describes discarded records as Lambda does for DynamoDB streams: metadata to find them in the
 * stream (shard, first and last sequence number, arrival times), never their data.
 */
export function toFailureRecord(
  discarded: DiscardedRecords,
  where: { shardId: string; streamArn: string; functionArn: string },
): StreamFailureRecord {
  const first = discarded.records[0]
  const last = discarded.records[discarded.records.length - 1]
  if (!first || !last) throw new Error('no records to describe')
  const arrival = (seconds: number) => new Date(seconds * 1000).toISOString()
  return {
    requestContext: {
      requestId: randomUUID(),
      functionArn: where.functionArn,
      condition: discarded.condition,
      approximateInvokeCount: discarded.invokeCount,
    },
    responseContext: {
      statusCode: 200,
      executedVersion: '$LATEST',
      ...(discarded.functionError ? { functionError: 'Unhandled' as const } : {}),
    },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId: where.shardId,
      startSequenceNumber: first.dynamodb.SequenceNumber,
      endSequenceNumber: last.dynamodb.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first.dynamodb.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last.dynamodb.ApproximateCreationDateTime),
      batchSize: discarded.records.length,
      streamArn: where.streamArn,
    },
  }
}
