import { Duration, Stack, type RemovalPolicy } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { EventBus } from 'aws-cdk-lib/aws-events'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs'
import { Secret } from 'aws-cdk-lib/aws-secretsmanager'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { domainEvents } from '../../api.js'
import { SESSION_KEY_PREFIX, eventLedgerKey } from '../../model.js'
import { onlyKeysStartingWith } from './email-sender.js'
import { createNodeFunction } from './node-function.js'
import { readTableStream } from './table-stream-reader.js'

export interface DomainEventsProps {
  table: ITable
  key: IKey
  removalPolicy: RemovalPolicy
}

/**
 * Domain events for other systems (docs/events.md): a custom EventBridge bus with a 30-day archive,
 * the deploy-time secret salt of `addressHash`, and the events Lambda of `infra/api.ts`
 * `domainEvents` as the table stream's second reader (sessions and tokens, keys only), which may
 * read session and token items, keep its ledger items, read the salt and put events on the bus.
 *
 * Not EventBridge Pipes: the stream is keys-only, so a pipe would have to enrich every record with
 * the item anyway (a Lambda or API call), and neither its filter nor its input transformer can
 * compute an HMAC with a secret, tell which state change a record is (no old image), or remember
 * which events were already announced.
 */
export class DomainEvents extends Construct {
  readonly bus: EventBus
  readonly handler: NodejsFunction
  readonly salt: Secret
  readonly deadLetterQueue: Queue

  constructor(scope: Construct, id: string, props: DomainEventsProps) {
    super(scope, id)
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `${Stack.of(this).stackName}-${domainEvents.busName}`,
      description: 'Domain events of the email one-time-code service (source otp.email)',
    })
    this.bus.archive('Archive', {
      description: 'Every domain event, for replay to a new subscriber',
      eventPattern: { source: ['otp.email'] },
      retention: Duration.days(30),
    })
    this.salt = new Secret(this, 'AddressHashSalt', {
      description: 'Salt of addressHash in domain events (HMAC-SHA256 of the canonical mailbox)',
      encryptionKey: props.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.removalPolicy,
    })
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    })
    this.handler = createNodeFunction(this, {
      ...domainEvents,
      environment: {
        TABLE_NAME: props.table.tableName,
        EVENT_BUS_NAME: this.bus.eventBusName,
        ADDRESS_HASH_SALT_SECRET_ARN: this.salt.secretArn,
      },
      removalPolicy: props.removalPolicy,
    })

    readTableStream(this.handler, props.table, domainEvents, this.deadLetterQueue)
    for (const prefix of [SESSION_KEY_PREFIX, 'TOKEN#', eventLedgerKey('')]) {
      this.handler.addToRolePolicy(
        new PolicyStatement({
          actions:
            prefix === eventLedgerKey('')
              ? ['dynamodb:GetItem', 'dynamodb:UpdateItem']
              : ['dynamodb:GetItem'],
          resources: [props.table.tableArn],
          conditions: onlyKeysStartingWith(prefix),
        }),
      )
    }
    props.key.grant(
      this.handler,
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    )
    this.salt.grantRead(this.handler)
    this.bus.grantPutEventsTo(this.handler)
  }
}
