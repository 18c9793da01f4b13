import type { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { emailSender } from '../../infra/api.js'
import type { EventMetrics } from '../record-email-event/dependencies.js'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { SESClient, type SESClientConfig } from '@aws-sdk/client-ses'
import { SQSClient } from '@aws-sdk/client-sqs'
import {
  deliveryStatusWriter,
  type AfterTransition,
  type DeliveryStatusWriter,
} from '../shared/delivery-status.js'
import { publisherFor, type DeliveryPublishTarget } from '../shared/publish-delivery.js'
import { readEmailSenderConfig, type EmailSenderConfig } from './config.js'
import { sqsDeadLetterSink, type DeadLetterSink } from './dead-letter.js'
import { createLogger } from './logger.js'
import { DEFAULT_RETRY_POLICY, type RetryEnvironment, type RetryPolicy } from './retry.js'
import { sendRateGate, type SendRateGate } from './send-rate.js'

/** Everything the handler uses, created once per process (per stack, locally) and shared by invocations. */
export interface EmailSenderDependencies {
  config: EmailSenderConfig
  dynamodb: DynamoDBClient
  ses: SESClient
  /** Writes the public delivery state (`SENT`, `FAILED`) of a session. */
  deliveryStatus: DeliveryStatusWriter
  deadLetter: DeadLetterSink
  logger: Logger
  retry: RetryPolicy
  clock: RetryEnvironment
  /** Paces sends to `config.sesMaxSendRate` across invocations. */
  sendRate: SendRateGate
  /** Outcome counts per invocation (Powertools Metrics, EMF). */
  metrics: EventMetrics
}

export interface DependencyOptions {
  config: EmailSenderConfig
  /** Extra DynamoDB client settings (endpoint, region, credentials) for the local stack. */
  dynamodb?: DynamoDBClientConfig
  /** Extra SES client settings (endpoint, region, credentials) for the local stack. */
  ses?: SESClientConfig
  /** Where undeliverable mail goes; defaults to SQS at `config.deadLetterQueueUrl`. */
  deadLetter?: DeadLetterSink
  /** Runs after each delivery state transition this Lambda makes (see `AfterTransition`); default: publish to `publish`. */
  afterTransition?: AfterTransition
  /** The API to announce transitions to (`publishOtpDelivery`); none: states are stored only. */
  publish?: DeliveryPublishTarget
  logger?: Logger
  retry?: Partial<RetryPolicy>
  clock?: Partial<RetryEnvironment>
  /** Replaces the DynamoDB-backed pacing (tests). */
  sendRate?: SendRateGate
  /** Default: none; the deployed Lambda (`fromEnvironment`) publishes Powertools Metrics (EMF). */
  metrics?: EventMetrics
}

/** Thrown when neither a dead-letter sink nor DEAD_LETTER_QUEUE_URL is given: mail must never vanish silently. */
export class MissingDeadLetterError extends Error {
  override name = 'MissingDeadLetterError'
}

const noMetrics: EventMetrics = {
  addMetric: () => undefined,
  publishStoredMetrics: () => undefined,
}

const realClock: RetryEnvironment = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
}

/**
 * Builds the clients, logger and dead-letter sink once.
 * The SES client makes one HTTP call per `send` (SDK retries off) with short timeouts: the handler
 * retries itself, within the invocation's remaining time, and keeps the claim bookkeeping in step.
 * @throws MissingDeadLetterError when there is nowhere to put undeliverable mail.
 */
export function createDependencies(options: DependencyOptions): EmailSenderDependencies {
  const { config } = options
  const ses = new SESClient({
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 5_000 },
    ...options.ses,
  })
  let deadLetter = options.deadLetter
  if (!deadLetter) {
    if (!config.deadLetterQueueUrl)
      throw new MissingDeadLetterError('DEAD_LETTER_QUEUE_URL must be set')
    deadLetter = sqsDeadLetterSink(new SQSClient({}), config.deadLetterQueueUrl)
  }
  const dynamodb = new DynamoDBClient({ ...options.dynamodb })
  const logger = options.logger ?? createLogger()
  const afterTransition =
    options.afterTransition ??
    publisherFor(options.publish, {
      credentials: dynamodb.config.credentials,
      logger,
      region: process.env.AWS_REGION,
    })
  const clock = { ...realClock, ...options.clock }
  return {
    config,
    dynamodb,
    ses,
    deliveryStatus: deliveryStatusWriter(dynamodb, config.tableName, afterTransition),
    deadLetter,
    logger,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    clock,
    metrics: options.metrics ?? noMetrics,
    sendRate:
      options.sendRate ?? sendRateGate(dynamodb, config.tableName, config.sesMaxSendRate, clock),
  }
}

/**
 * The dependencies of the deployed Lambda, from `process.env` (see `readEmailSenderConfig`).
 * Endpoints follow the SDK's own variables, so AWS_ENDPOINT_URL_SES and AWS_ENDPOINT_URL_DYNAMODB
 * point the same code at the local stack. `API_URL` is where delivery updates are published,
 * signed with the Lambda's own credentials.
 */
export function fromEnvironment(
  env: Record<string, string | undefined> = process.env,
): EmailSenderDependencies {
  const apiUrl = env.API_URL?.trim()
  const { namespace, service } = emailSender.metrics
  return createDependencies({
    config: readEmailSenderConfig(env),
    ...(apiUrl ? { publish: { apiUrl } } : {}),
    metrics: new Metrics({ namespace, serviceName: service }),
  })
}
