import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import type { MetricUnit } from '@aws-lambda-powertools/metrics/types'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { emailEvents } from '../../infra/api.js'
import { InvalidSettingError } from '../../infra/settings.js'
import {
  deliveryStatusWriter,
  type AfterTransition,
  type DeliveryStatusWriter,
} from '../shared/delivery-status.js'
import { publisherFor, type DeliveryPublishTarget } from '../shared/publish-delivery.js'

/** What the handler does with metrics: Powertools Metrics' counts, flushed once per event as EMF. */
export interface EventMetrics {
  addMetric(name: string, unit: MetricUnit, value: number): void
  publishStoredMetrics(): void
}

/** Everything the handler uses, created once per execution environment (per stack, locally). */
export interface EmailEventDependencies {
  tableName: string
  dynamodb: DynamoDBClient
  deliveryStatus: DeliveryStatusWriter
  logger: Logger
  metrics: EventMetrics
}

export interface EmailEventOptions {
  tableName: string
  /** Extra DynamoDB client settings (endpoint, region, credentials) for the local stack. */
  dynamodb?: DynamoDBClientConfig
  logger?: Logger
  /** Default: Powertools Metrics in `emailEvents.metrics.namespace`, EMF on stdout. */
  metrics?: EventMetrics
  /** Runs after each delivery state transition an event makes (see `AfterTransition`); default: publish to `publish`. */
  afterTransition?: AfterTransition
  /** The API to announce transitions to (`publishOtpDelivery`); none: states are stored only. */
  publish?: DeliveryPublishTarget
}

/** Builds the client, writer, logger and metrics once. */
export function createEmailEventDependencies(options: EmailEventOptions): EmailEventDependencies {
  const dynamodb = new DynamoDBClient({ ...options.dynamodb })
  const { namespace, service } = emailEvents.metrics
  const logger = options.logger ?? new Logger({ serviceName: service })
  const afterTransition =
    options.afterTransition ??
    publisherFor(options.publish, {
      credentials: dynamodb.config.credentials,
      logger,
      region: process.env.AWS_REGION,
    })
  return {
    tableName: options.tableName,
    dynamodb,
    deliveryStatus: deliveryStatusWriter(dynamodb, options.tableName, afterTransition),
    logger,
    metrics: options.metrics ?? new Metrics({ namespace, serviceName: service }),
  }
}

/**
 * The dependencies of the deployed Lambda: `TABLE_NAME` from its environment, `API_URL` where
 * delivery updates are published (signed with the Lambda's own credentials); the DynamoDB endpoint
 * follows the SDK's own variables (AWS_ENDPOINT_URL_DYNAMODB points it at the local stack).
 * @throws InvalidSettingError when TABLE_NAME is missing.
 */
export function fromEnvironment(
  env: Record<string, string | undefined> = process.env,
): EmailEventDependencies {
  const tableName = env.TABLE_NAME?.trim()
  if (!tableName) throw new InvalidSettingError('TABLE_NAME must be set')
  const apiUrl = env.API_URL?.trim()
  return createEmailEventDependencies({ tableName, ...(apiUrl ? { publish: { apiUrl } } : {}) })
}
