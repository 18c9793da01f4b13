/**
 * The email path of the local stack in one call: the email Lambda's handler over DynamoDB Local,
 * fed by the stream consumer with the event source settings CDK deploys, sending through local SES
 * with SES's event publishing in front of it (infra/local/ses-events.ts), whose events reach the
 * SES event handler as they reach it on AWS.
 */
import { Logger } from '@aws-lambda-powertools/logger'
import {
  createEmailEventDependencies,
  type EventMetrics,
} from '../../functions/record-email-event/dependencies.js'
import { createHandler as createEventHandler } from '../../functions/record-email-event/handler.js'
import { readEmailSenderConfig } from '../../functions/send-otp-email/config.js'
import type { DeadLetterSink } from '../../functions/send-otp-email/dead-letter.js'
import { createDependencies } from '../../functions/send-otp-email/dependencies.js'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import type { RetryPolicy } from '../../functions/send-otp-email/retry.js'
import type { DeliveryPublishTarget } from '../../functions/shared/publish-delivery.js'
import { emailSender } from '../api.js'
import { toLambdaEnv, type OtpSettings } from '../settings.js'
import { jsonLinesSink } from './dead-letter-file.js'
import { startSesEvents } from './ses-events.js'
import { startSesRateLimit } from './ses-rate-limit.js'
import { startStreamConsumer, type StreamFailureRecord } from './stream-consumer.js'

/** The name of the configuration set the local email Lambda sends through. */
export const LOCAL_CONFIGURATION_SET = 'email-otp-local'

/** The email Lambda's environment in the local stack: its settings, the table and the configuration set. */
export function localEmailSenderEnv(
  settings: OtpSettings,
  tableName: string,
): Record<string, string> {
  return { ...toLambdaEnv(settings, tableName), SES_CONFIGURATION_SET: LOCAL_CONFIGURATION_SET }
}

export interface LocalEmailDeliveryOptions {
  /** DynamoDB Local endpoint, e.g. `http://127.0.0.1:8000`. */
  dynamodbEndpoint: string
  /** Local SES URL (the SES endpoint), e.g. `http://127.0.0.1:8005`. */
  sesUrl: string
  tableName: string
  settings: OtpSettings
  /** JSON-lines file for undeliverable mail and discarded stream records. Default `.local/dead-letters.jsonl`. */
  deadLetterFile?: string
  /** Replace the file for undeliverable mail (tests). */
  deadLetter?: DeadLetterSink
  /** Replace the file for discarded stream records (tests). */
  onFailure?: (record: StreamFailureRecord) => void | Promise<void>
  /** The email handler's logger (default: JSON lines on stdout). */
  logger?: Logger
  /** No log lines or metrics from either handler. */
  quiet?: boolean
  /** Consumer and event publishing diagnostics. */
  log?: (message: string, fields?: Record<string, unknown>) => void
  pollIntervalMs?: number
  /** The handler's in-invocation SES retries (default: the deployed policy, bounded by the invocation's time). */
  retry?: Partial<RetryPolicy>
  /** When the mail to `success+delayed@simulator.amazonses.com` is delivered (see ses-simulator.ts). */
  delayedDeliveryMs?: number
  /**
   * The local API both handlers publish delivery updates to, with the local IAM credentials (what
   * `API_URL` and the Lambda's role give them on AWS). None: states are stored, not pushed.
   */
  publish?: DeliveryPublishTarget
  /** Limit local SES to this many sends per second, throttling the rest as SES does (ses-rate-limit.ts). */
  sesMaxSendRate?: number
}

export interface LocalEmailDelivery {
  /**
   * Resolves once every session written so far has been mailed (or dead-lettered) and every SES
   * event of those mails handled.
   */
  drained(): Promise<void>
  /** Ends polling, waits for the batch in flight, drops SES events not yet due, closes the clients. */
  stop(): Promise<void>
}

const LOCAL_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
}

const silentMetrics: EventMetrics = {
  addMetric: () => undefined,
  publishStoredMetrics: () => undefined,
}

/**
 * Starts delivering the code of every new session: resolves once the stream consumer knows the
 * shards and SES event publishing listens.
 */
export async function startLocalEmailDelivery(
  options: LocalEmailDeliveryOptions,
): Promise<LocalEmailDelivery> {
  const silent = () => new Logger({ logLevel: 'SILENT' })
  const events = createEmailEventDependencies({
    tableName: options.tableName,
    dynamodb: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    ...(options.quiet ? { logger: silent(), metrics: silentMetrics } : {}),
    ...(options.publish ? { publish: options.publish } : {}),
  })
  const limit = options.sesMaxSendRate
    ? await startSesRateLimit(options.sesUrl, options.sesMaxSendRate)
    : undefined
  const sesEvents = await startSesEvents({
    upstream: limit?.url ?? options.sesUrl,
    configurationSets: [LOCAL_CONFIGURATION_SET],
    handler: createEventHandler(events),
    region: LOCAL_CLIENT.region,
    ...(options.delayedDeliveryMs !== undefined
      ? { delayedDeliveryMs: options.delayedDeliveryMs }
      : {}),
    ...(options.log ? { log: options.log } : {}),
  }).catch(async (error: unknown) => {
    await limit?.stop()
    throw error
  })
  const deadLetters = jsonLinesSink(options.deadLetterFile)
  const logger = options.logger ?? (options.quiet ? silent() : undefined)
  const deps = createDependencies({
    config: readEmailSenderConfig(localEmailSenderEnv(options.settings, options.tableName)),
    dynamodb: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    ses: { ...LOCAL_CLIENT, endpoint: sesEvents.url },
    deadLetter: options.deadLetter ?? deadLetters,
    ...(logger ? { logger } : {}),
    ...(options.publish ? { publish: options.publish } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  })
  const consumer = await startStreamConsumer({
    ...emailSender,
    client: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    tableName: options.tableName,
    handler: createHandler(deps),
    onFailure: options.onFailure ?? deadLetters,
    ...(options.log ? { log: options.log } : {}),
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
  }).catch(async (error: unknown) => {
    await sesEvents.stop()
    await limit?.stop()
    throw error
  })
  return {
    async drained() {
      await consumer.drained()
      await sesEvents.settled()
    },
    async stop() {
      await consumer.stop()
      await sesEvents.stop()
      await limit?.stop()
      deps.dynamodb.destroy()
      deps.ses.destroy()
      events.dynamodb.destroy()
    },
  }
}
