/** Reads one stream shard: iterator upkeep, Lambda-shaped records, filtering, and batch readiness. */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type DynamoDBStreamsClient,
  type DynamoDBStreamsClientConfig,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams'
import { matchesFilter, type FilterPattern } from './event-filter.js'
import { toLambdaRecord, type LambdaStreamRecord } from './stream-records.js'

export interface ReaderSettings {
  streams: DynamoDBStreamsClient
  streamArn: string
  region: string
  filterPattern: FilterPattern
  batchSize: number
  /** MaximumBatchingWindowInSeconds, in ms: how long a short batch may wait for more records. */
  batchingWindowMs: number
}

export interface ShardReader {
  readonly shardId: string
  readonly parentShardId: string | undefined
  /** The shard is closed and every record read from it has been committed. */
  readonly finished: boolean
  /** Stamp (from `nextStamp`) of the latest read that found nothing new and nothing waiting. */
  readonly idleSince: number
  /**
   * Reads more records when there is room, then returns the batch that is due (full, window
   * elapsed, or shard closed), or an empty array when nothing is due yet. The batch stays
   * pending until {@link commit}.
   */
  nextBatch(): Promise<LambdaStreamRecord[]>
  /** Marks the first `count` pending records as processed. */
  commit(count: number): void
}

const RECORDS_PER_READ = 1000

/**
 * A reader for `shard` starting at `position`. `nextStamp` hands out increasing numbers; the
 * consumer compares them to know whether a read began after some moment (see `drained`).
 */
export function createShardReader(
  settings: ReaderSettings,
  shard: Shard,
  position: Extract<ShardIteratorType, 'TRIM_HORIZON' | 'LATEST'>,
  nextStamp: () => number,
): ShardReader {
  const shardId = shard.ShardId as string
  const pending: LambdaStreamRecord[] = []
  let iterator: string | undefined
  let lastRead: string | undefined
  let closed = false
  let firstPendingAt = 0
  let idleSince = 0

  const freshIterator = async (): Promise<string | undefined> => {
    const { ShardIterator } = await settings.streams.send(
      new GetShardIteratorCommand({
        StreamArn: settings.streamArn,
        ShardId: shardId,
        ...(lastRead
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: lastRead }
          : { ShardIteratorType: position }),
      }),
    )
    return ShardIterator
  }

  const read = async () => {
    const stamp = nextStamp()
    iterator ??= await freshIterator()
    if (!iterator) {
      closed = true
      return
    }
    let result
    try {
      result = await settings.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: RECORDS_PER_READ }),
      )
    } catch (error) {
      // Iterators expire (after 15 minutes in DynamoDB Streams): continue after the last record read.
      // DynamoDB Local also refuses an iterator taken on an empty shard once another table has been
      // written (TrimmedDataAccessException; it numbers records across tables): take a fresh one too.
      const name = (error as Error).name
      if (name === 'ExpiredIteratorException' || name === 'TrimmedDataAccessException')
        iterator = undefined
      throw error
    }
    const records = result.Records ?? []
    for (const record of records) {
      const lambdaRecord = toLambdaRecord(record, settings.streamArn, settings.region)
      lastRead = lambdaRecord.dynamodb.SequenceNumber
      // Lambda drops records that fail the filter before invoking the function.
      if (!matchesFilter(settings.filterPattern, lambdaRecord)) continue
      if (pending.length === 0) firstPendingAt = Date.now()
      pending.push(lambdaRecord)
    }
    iterator = result.NextShardIterator
    if (!iterator) closed = true
    if (records.length === 0 && pending.length === 0) idleSince = stamp
  }

  return {
    shardId,
    parentShardId: shard.ParentShardId,
    get finished() {
      return closed && pending.length === 0
    },
    get idleSince() {
      return idleSince
    },
    async nextBatch() {
      if (!closed && pending.length < settings.batchSize) await read()
      if (pending.length === 0) return []
      const due =
        pending.length >= settings.batchSize ||
        closed ||
        Date.now() - firstPendingAt >= settings.batchingWindowMs
      return due ? pending.slice(0, settings.batchSize) : []
    },
    commit(count) {
      pending.splice(0, count)
    },
  }
}

/** Every shard of the stream, open and closed (DescribeStream, all pages). */
export async function listShards(
  streams: DynamoDBStreamsClient,
  streamArn: string,
): Promise<Shard[]> {
  const shards: Shard[] = []
  let exclusiveStartShardId: string | undefined
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({
        StreamArn: streamArn,
        ExclusiveStartShardId: exclusiveStartShardId,
      }),
    )
    shards.push(...(StreamDescription?.Shards ?? []))
    exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId
  } while (exclusiveStartShardId)
  return shards
}

/**
 * The table's current stream.
 * @throws Error when the table has no stream.
 */
export async function findStreamArn(
  client: DynamoDBStreamsClientConfig,
  tableName: string,
): Promise<string> {
  const dynamodb = new DynamoDBClient(client)
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }))
    if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`)
    return Table.LatestStreamArn
  } finally {
    dynamodb.destroy()
  }
}
