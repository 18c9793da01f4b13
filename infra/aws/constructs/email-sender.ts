import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs'
import { EmailIdentity, type IConfigurationSet, Identity } from 'aws-cdk-lib/aws-ses'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { emailSender } from '../../api.js'
import { SEND_RATE_KEY_PREFIX, SESSION_KEY_PREFIX } from '../../model.js'
import { createNodeFunction, LAMBDA_RUNTIME } from './node-function.js'
import { readTableStream } from './table-stream-reader.js'

/** The runtime of the email Lambda (and of every Lambda of the stack). */
export const EMAIL_RUNTIME = LAMBDA_RUNTIME

export interface EmailSenderProps {
  table: ITable
  key: IKey
  /** The configuration set every mail goes through (see `SenderReputation`). */
  configurationSet: IConfigurationSet
  /** `toLambdaEnv(settings, table.tableName)`; the configuration set and dead-letter queue are added here. */
  environment: Record<string, string>
  senderAddress: string
  createSesIdentity: boolean
  sandboxRecipients: readonly string[]
  reservedConcurrency: number
  removalPolicy: RemovalPolicy
}

/** The IAM condition that limits DynamoDB item actions to items whose key starts with `prefix`. */
export function onlyKeysStartingWith(prefix: string): Record<string, unknown> {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } }
}

/**
 * The stream consumer of `infra/api.ts` `emailSender`: a Lambda fed by the table's keys-only
 * stream (INSERTs of sessions only, partial batch failures, bisect, bounded retries and age), a
 * KMS-encrypted dead-letter queue, and permission to update session items only and to send mail
 * from the sender address only, through the configuration set.
 */
export class EmailSender extends Construct {
  readonly handler: NodejsFunction
  readonly deadLetterQueue: Queue

  constructor(scope: Construct, id: string, props: EmailSenderProps) {
    super(scope, id)
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    })
    this.handler = createNodeFunction(this, {
      entry: emailSender.entry,
      handlerExport: emailSender.handlerExport,
      description: 'Sends each new one-time code by email (DynamoDB stream consumer)',
      timeoutSeconds: emailSender.timeoutSeconds,
      memoryMb: emailSender.memoryMb,
      reservedConcurrency: props.reservedConcurrency,
      environment: {
        ...props.environment,
        SES_CONFIGURATION_SET: props.configurationSet.configurationSetName,
        DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl,
      },
      removalPolicy: props.removalPolicy,
    })

    readTableStream(this.handler, props.table, emailSender, this.deadLetterQueue)
    // The claim and every later write are UpdateItems of the session item, nothing else.
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: onlyKeysStartingWith(SESSION_KEY_PREFIX),
      }),
    )
    // The send-rate counters (functions/send-otp-email/send-rate.ts): one conditional ADD per send.
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.table.tableArn],
        conditions: onlyKeysStartingWith(SEND_RATE_KEY_PREFIX),
      }),
    )
    // Named actions on the table's key (the queue grants above and below add the wildcard forms
    // aws-cdk-lib uses for SQS; see infra/aws/nag-acknowledgements.ts).
    props.key.grant(
      this.handler,
      'kms:Decrypt',
      'kms:DescribeKey',
      'kms:Encrypt',
      'kms:GenerateDataKey',
    )
    // The handler parks permanently failing sends in the queue itself, besides Lambda's on-failure records.
    this.deadLetterQueue.grantSendMessages(this.handler)
    if (props.createSesIdentity) {
      // The configuration set is also the identity's default: mail from it cannot miss it.
      new EmailIdentity(this, 'SenderIdentity', {
        identity: Identity.email(props.senderAddress),
        configurationSet: props.configurationSet,
      })
    }
    this.handler.addToRolePolicy(this.sendFromSenderOnly(props))
  }

  /**
   * ses:SendEmail (the v1 API the handler calls, nothing else) on the sender's identities (address
   * and domain, whichever is verified), the sandbox recipients and the configuration set (SES
   * authorizes a send through a configuration set on both), and only with the sender as From.
   */
  private sendFromSenderOnly(props: EmailSenderProps): PolicyStatement {
    const domain = props.senderAddress.slice(props.senderAddress.indexOf('@') + 1)
    const arn = (resource: string, resourceName: string): string =>
      Stack.of(this).formatArn({ service: 'ses', resource, resourceName })
    return new PolicyStatement({
      actions: ['ses:SendEmail'],
      resources: [
        ...[props.senderAddress, domain, ...props.sandboxRecipients].map((identity) =>
          arn('identity', identity),
        ),
        arn('configuration-set', props.configurationSet.configurationSetName),
      ],
      conditions: { StringEquals: { 'ses:FromAddress': props.senderAddress } },
    })
  }
}
