/**
 * The domain events of the local stack: the events Lambda's handler (functions/publish-domain-events)
 * fed by a second stream consumer with the event source settings CDK deploys, as on AWS, but with a
 * sink that appends each event to `.local/events.jsonl` (what EventBridge would carry: source,
 * detail-type, detail) and prints one line per event. Same mapping, same handler: local and AWS
 * cannot drift. DynamoDB Local never expires items, so `OtpExpired` never appears locally.
 */
import { Logger } from '@aws-lambda-powertools/logger'
import { createDomainEventDependencies } from '../../functions/publish-domain-events/dependencies.js'
import type { EventSink } from '../../functions/publish-domain-events/event-sink.js'
import { createHandler } from '../../functions/publish-domain-events/handler.js'
import type { EventMetrics } from '../../functions/record-email-event/dependencies.js'
import { domainEvents } from '../api.js'
import { jsonLinesSink } from './dead-letter-file.js'
import { startStreamConsumer, type StreamConsumer } from './stream-consumer.js'

/** Where the local stack writes domain events, one JSON object per line. */
export const DEFAULT_EVENT_LOG = '.local/events.jsonl'

export interface LocalDomainEventsOptions {
  dynamodbEndpoint: string
  tableName: string
  /** JSON-lines file; default {@link DEFAULT_EVENT_LOG}. */
  file?: string
  /** Called with each event's one-line summary; default: none. */
  print?: (line: string) => void
  /** Also hand each event here (tests). */
  sink?: EventSink
  pollIntervalMs?: number
  log?: (message: string, fields?: Record<string, unknown>) => void
}

const LOCAL_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
}

const silentMetrics: EventMetrics = {
  addMetric: () => undefined,
  publishStoredMetrics: () => undefined,
}

/** The sink of the local stack: the file, a printed line, and `also` when given. */
export function localEventSink(
  file: string,
  print: ((line: string) => void) | undefined,
  also?: EventSink,
): EventSink {
  const append = jsonLinesSink(file)
  return async (events) => {
    for (const e of events) {
      await append({ source: e.source, 'detail-type': e.detailType, detail: e.detail })
      print?.(`event ${e.detailType} session ${e.detail.sessionId} at ${e.detail.time}`)
    }
    await also?.(events)
  }
}

/** Starts the second stream reader; resolves once it knows the shards. */
export async function startLocalDomainEvents(
  options: LocalDomainEventsOptions,
): Promise<StreamConsumer & { file: string }> {
  const file = options.file ?? DEFAULT_EVENT_LOG
  const deps = createDomainEventDependencies({
    tableName: options.tableName,
    dynamodb: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    sink: localEventSink(file, options.print, options.sink),
    salt: async () => domainEvents.localSalt,
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: silentMetrics,
  })
  const consumer = await startStreamConsumer({
    ...domainEvents,
    functionName: 'publish-domain-events',
    client: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    tableName: options.tableName,
    handler: createHandler(deps),
    onFailure: jsonLinesSink(),
    ...(options.log ? { log: options.log } : {}),
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
  })
  return {
    file,
    drained: () => consumer.drained(),
    async stop() {
      await consumer.stop()
      deps.dynamodb.destroy()
    },
  }
}
