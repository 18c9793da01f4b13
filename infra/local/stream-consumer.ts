/**
 * The local stand-in for Lambda's DynamoDB event source mapping: polls the table's stream in
 * DynamoDB Local, filters records with the event source's filter pattern, batches them, invokes
 * the handler with Lambda's event and context shapes, and honours partial batch responses,
 * bisection, retries, maximum record age and the on-failure destination as Lambda does.
 */
import {
  DynamoDBStreamsClient,
  type DynamoDBStreamsClientConfig,
} from '@aws-sdk/client-dynamodb-streams'
import { runBatch, type BatchPolicy, type DiscardedRecords } from './batch-runner.js'
import type { FilterPattern } from './event-filter.js'
import { toFailureRecord, type StreamFailureRecord } from './failure-record.js'
import { createStopSwitch } from './stop-switch.js'
import { invokeBatch, type InvokeSettings, type StreamHandler } from './lambda-invoke.js'
import {
  createShardReader,
  findStreamArn,
  listShards,
  type ReaderSettings,
  type ShardReader,
} from './shard-reader.js'

export type { StreamFailureRecord } from './failure-record.js'
export type { StreamHandler } from './lambda-invoke.js'

export interface StreamConsumerOptions {
  /** Client settings for DynamoDB Local: endpoint, region, credentials. */
  client: DynamoDBStreamsClientConfig & { region: string }
  tableName: string
  /** The function to call: `createHandler(...)` of the email Lambda, or any stream handler. */
  handler: StreamHandler
  /** Lambda FilterCriteria pattern; records that do not match never reach the handler. */
  filterPattern?: FilterPattern
  batchSize: number
  maxBatchingWindowSeconds: number
  retryAttempts: number
  bisectBatchOnError: boolean
  maxRecordAgeSeconds: number
  /** Read `batchItemFailures` from the answer (ReportBatchItemFailures). Default true. */
  reportBatchItemFailures?: boolean
  /** Where a shard present at start is read from. Default TRIM_HORIZON. */
  startingPosition?: 'TRIM_HORIZON' | 'LATEST'
  /** Default 30. */
  timeoutSeconds?: number
  /** Default 256. */
  memoryMb?: number
  /** Default `send-otp-email`. */
  functionName?: string
  /** The on-failure destination; resolve once the record is kept. */
  onFailure(record: StreamFailureRecord): void | Promise<void>
  /** Pause between polls of an idle shard. Default 200 ms (Lambda polls 4 times a second). */
  pollIntervalMs?: number
  /** First pause before a failed batch is retried; doubles per retry. Default 250 ms. */
  retryBaseDelayMs?: number
  /** Diagnostics (poll errors, discarded batches). Default: silent. */
  log?: (message: string, fields?: Record<string, unknown>) => void
}

export interface StreamConsumer {
  /** Ends polling and waits for the batch in flight. Idempotent. */
  stop(): Promise<void>
  /**
   * Resolves once every record written to the table before this call has been handled: delivered,
   * filtered out, or discarded to the on-failure destination (waiting through retries).
   */
  drained(): Promise<void>
}

/**
 * Starts polling the stream of `tableName` and resolves once the shards are known.
 * @throws Error when the table has no stream.
 */
export async function startStreamConsumer(options: StreamConsumerOptions): Promise<StreamConsumer> {
  const log = options.log ?? (() => undefined)
  const pollIntervalMs = options.pollIntervalMs ?? 200
  const region = options.client.region
  const streamArn = await findStreamArn(options.client, options.tableName)
  const streams = new DynamoDBStreamsClient(options.client)

  const functionName = options.functionName ?? 'send-otp-email'
  const invokeSettings: InvokeSettings = {
    functionName,
    region,
    timeoutSeconds: options.timeoutSeconds ?? 30,
    memoryMb: options.memoryMb ?? 256,
    reportBatchItemFailures: options.reportBatchItemFailures ?? true,
  }
  const policy: BatchPolicy = {
    retryAttempts: options.retryAttempts,
    bisectBatchOnError: options.bisectBatchOnError,
    maxRecordAgeSeconds: options.maxRecordAgeSeconds,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 250,
  }
  const readerSettings: ReaderSettings = {
    streams,
    streamArn,
    region,
    filterPattern: options.filterPattern ?? {},
    batchSize: options.batchSize,
    batchingWindowMs: options.maxBatchingWindowSeconds * 1000,
  }

  const stopSwitch = createStopSwitch()
  const { pause } = stopSwitch

  const functionArn = `arn:aws:lambda:${region}:000000000000:function:${functionName}`
  const discard = async (shardId: string, discarded: DiscardedRecords) => {
    if (discarded.records.length === 0) return
    log('stream records discarded', {
      shardId,
      condition: discarded.condition,
      count: discarded.records.length,
    })
    await options.onFailure(toFailureRecord(discarded, { shardId, streamArn, functionArn }))
  }

  const readers = new Map<string, ShardReader>()
  const loops = new Map<string, Promise<void>>()
  // Increasing stamps: a shard read or a shard listing stamped after `drained()` was called saw
  // every record written before the call.
  let stamp = 0
  const nextStamp = () => ++stamp
  let describedAt = 0

  const runShard = async (reader: ShardReader) => {
    while (!stopSwitch.stopping && !reader.finished) {
      try {
        const batch = await reader.nextBatch()
        if (batch.length === 0) {
          await pause(pollIntervalMs)
          continue
        }
        const complete = await runBatch(batch, policy, {
          invoke: (records) => invokeBatch(options.handler, records, invokeSettings),
          discard: (discarded) => discard(reader.shardId, discarded),
          pause,
          now: () => Date.now(),
        })
        if (complete) reader.commit(batch.length)
      } catch (error) {
        log('stream poll failed', {
          shardId: reader.shardId,
          error: error instanceof Error ? error.message : String(error),
        })
        await pause(Math.max(pollIntervalMs, 500))
      }
    }
    // A closed shard has children: look for them now rather than at the next periodic listing.
    if (!stopSwitch.stopping) await describeShards(false).catch(() => undefined)
  }

  // Lists the shards, adds readers for new ones, and starts each shard once its parent is finished
  // (Lambda keeps the records of one key in order across a shard split).
  const describeShards = async (initial: boolean) => {
    const started = nextStamp()
    const shards = await listShards(streams, streamArn)
    for (const shard of shards) {
      if (!shard.ShardId || readers.has(shard.ShardId)) continue
      // Shards that appear later are children of a closed shard: read them from their start.
      const position = initial ? options.startingPosition ?? 'TRIM_HORIZON' : 'TRIM_HORIZON'
      readers.set(shard.ShardId, createShardReader(readerSettings, shard, position, nextStamp))
    }
    for (const reader of readers.values()) {
      const parent = reader.parentShardId ? readers.get(reader.parentShardId) : undefined
      if (!loops.has(reader.shardId) && (!parent || parent.finished))
        loops.set(reader.shardId, runShard(reader))
    }
    describedAt = Math.max(describedAt, started)
  }

  await describeShards(true)
  const periodicListing = (async () => {
    while (await pause(1_000)) {
      await describeShards(false).catch((error: unknown) =>
        log('stream describe failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
    }
  })()

  let stopped: Promise<void> | undefined
  return {
    stop() {
      stopped ??= (async () => {
        stopSwitch.stop()
        await periodicListing
        // Loops may be added while we wait (a listing in flight); wait until none is left running.
        for (let count = -1; count !== loops.size; ) {
          count = loops.size
          await Promise.all(loops.values())
        }
        streams.destroy()
      })()
      return stopped
    },
    async drained() {
      const mark = nextStamp()
      for (;;) {
        if (stopSwitch.stopping)
          throw new Error('the stream consumer was stopped before it drained')
        const all = [...readers.values()]
        const idle = all.every((reader) => reader.finished || reader.idleSince > mark)
        // Once a shard has closed, records may be going to a child shard not listed yet.
        const listed = !all.some((reader) => reader.finished) || describedAt > mark
        if (idle && listed) return
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    },
  }
}
