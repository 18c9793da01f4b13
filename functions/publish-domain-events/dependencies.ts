import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { domainEvents } from '../../infra/api.js'
import { InvalidSettingError } from '../../infra/settings.js'
import type { EventMetrics } from '../record-email-event/dependencies.js'
import { ledgerStore, type LedgerStore } from './event-ledger.js'
import { eventBridgeSink, type EventSink } from './event-sink.js'

/** Everything the events handler uses, created once per execution environment. */
export interface DomainEventDependencies {
  tableName: string
  dynamodb: DynamoDBClient
  ledger: LedgerStore
  sink: EventSink
  /** The address-hash salt; read once (a deploy-time secret on AWS, a fixed value locally). */
  salt: () => Promise<string>
  logger: Logger
  metrics: EventMetrics
}

export interface DomainEventOptions {
  tableName: string
  dynamodb?: DynamoDBClientConfig
  sink: EventSink
  salt: () => Promise<string>
  logger?: Logger
  metrics?: EventMetrics
}

export function createDomainEventDependencies(
  options: DomainEventOptions,
): DomainEventDependencies {
  const dynamodb = new DynamoDBClient({ ...options.dynamodb })
  const { namespace, service } = domainEvents.metrics
  return {
    tableName: options.tableName,
    dynamodb,
    ledger: ledgerStore(dynamodb, options.tableName),
    sink: options.sink,
    salt: options.salt,
    logger: options.logger ?? new Logger({ serviceName: service }),
    metrics: options.metrics ?? new Metrics({ namespace, serviceName: service }),
  }
}

/** Reads a secret's string once and keeps the answer (a failed read is tried again next time). */
export function secretOnce(client: SecretsManagerClient, secretId: string): () => Promise<string> {
  let value: Promise<string> | undefined
  return () => {
    value ??= client.send(new GetSecretValueCommand({ SecretId: secretId })).then((r) => {
      if (!r.SecretString) throw new InvalidSettingError('the address-hash salt secret is empty')
      return r.SecretString
    })
    value.catch(() => (value = undefined))
    return value
  }
}

/**
 * The deployed Lambda: `TABLE_NAME`, `EVENT_BUS_NAME` and `ADDRESS_HASH_SALT_SECRET_ARN`.
 * @throws InvalidSettingError naming the first missing variable.
 */
export function fromEnvironment(
  env: Record<string, string | undefined> = process.env,
): DomainEventDependencies {
  const need = (name: string): string => {
    const value = env[name]?.trim()
    if (!value) throw new InvalidSettingError(`${name} must be set`)
    return value
  }
  return createDomainEventDependencies({
    tableName: need('TABLE_NAME'),
    sink: eventBridgeSink(new EventBridgeClient({}), need('EVENT_BUS_NAME')),
    salt: secretOnce(new SecretsManagerClient({}), need('ADDRESS_HASH_SALT_SECRET_ARN')),
  })
}
