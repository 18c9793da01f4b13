import { join } from 'node:path'
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import type { IKey } from 'aws-cdk-lib/aws-kms'
import {
  Architecture,
  FilterCriteria,
  Runtime,
  StartingPosition,
  Tracing,
} from 'aws-cdk-lib/aws-lambda'
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs'
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses'
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { emailSender, repoRoot } from '../../api.js'

/** The newest Node.js runtime this aws-cdk-lib offers; the local tests run the handler on Node 20+. */
export const EMAIL_RUNTIME = Runtime.NODEJS_24_X

export interface EmailSenderProps {
  table: ITable
  key: IKey
  /** `toLambdaEnv(settings, table.tableName)`; the dead-letter queue URL is added here. */
  environment: Record<string, string>
  senderAddress: string
  createSesIdentity: boolean
  sandboxRecipients: readonly string[]
  reservedConcurrency: number
  removalPolicy: RemovalPolicy
}

// The handler is ESM; CommonJS dependencies bundled into it still call require().
const requireShim =
  "import { createRequire } from 'node:module';const require = createRequire(import.meta.url);"

/**
 * The stream consumer of `infra/api.ts` `emailSender`: a Lambda fed by the table's stream
 * (INSERTs of sessions only, partial batch failures, bisect, bounded retries and age), a
 * KMS-encrypted dead-letter queue, and permission to send mail from the sender address only.
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

    // An own role: log writes to its log group only, instead of the managed basic-execution policy.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') })
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy,
    })
    logGroup.grantWrite(role)
    this.handler = new NodejsFunction(this, 'Handler', {
      role,
      description: 'Sends each new one-time code by email (DynamoDB stream consumer)',
      entry: join(repoRoot, emailSender.entry),
      handler: emailSender.handlerExport,
      projectRoot: repoRoot,
      depsLockFilePath: join(repoRoot, 'package-lock.json'),
      runtime: EMAIL_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: emailSender.memoryMb,
      timeout: Duration.seconds(emailSender.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      reservedConcurrentExecutions:
        props.reservedConcurrency > 0 ? props.reservedConcurrency : undefined,
      environment: { ...props.environment, DEAD_LETTER_QUEUE_URL: this.deadLetterQueue.queueUrl },
      logGroup,
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        banner: requireShim,
        // Ship the SDK version the tests ran against rather than the one in the runtime.
        bundleAwsSDK: true,
        // Minified for cold starts; names kept so that stack traces in the logs stay readable.
        minify: true,
        keepNames: true,
      },
    })

    // The L2 EventSourceMapping that DynamoEventSource wraps, with the role's stream grants
    // written out below instead of added out of sight.
    const streamArn = props.table.tableStreamArn
    if (streamArn === undefined) throw new Error('The OTP table has no stream')
    this.handler.addEventSourceMapping('TableStream', {
      eventSourceArn: streamArn,
      startingPosition: StartingPosition[emailSender.startingPosition],
      filters: [FilterCriteria.filter(emailSender.filterPattern)],
      batchSize: emailSender.batchSize,
      maxBatchingWindow: Duration.seconds(emailSender.maxBatchingWindowSeconds),
      reportBatchItemFailures: emailSender.reportBatchItemFailures,
      bisectBatchOnError: emailSender.bisectBatchOnError,
      retryAttempts: emailSender.retryAttempts,
      maxRecordAge: Duration.seconds(emailSender.maxRecordAgeSeconds),
      onFailure: new SqsDlq(this.deadLetterQueue),
    })
    this.handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    )
    // AWS's execution policy for stream consumers (AWSLambdaDynamoDBExecutionRole) includes
    // ListStreams, which has no resource-level permissions: a grant on the stream ARN allows
    // nothing, only "*" does. It returns the account's stream ARNs, never records.
    this.handler.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
    )
    props.table.grant(this.handler, 'dynamodb:GetItem', 'dynamodb:UpdateItem')
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
      new EmailIdentity(this, 'SenderIdentity', { identity: Identity.email(props.senderAddress) })
    }
    this.handler.addToRolePolicy(this.sendFromSenderOnly(props))
  }

  /**
   * ses:SendEmail on the sender's identities (address and domain, whichever is verified) and on
   * the sandbox recipients, and only with the sender as From.
   */
  private sendFromSenderOnly(props: EmailSenderProps): PolicyStatement {
    const domain = props.senderAddress.slice(props.senderAddress.indexOf('@') + 1)
    const identityArn = (identity: string): string =>
      Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: identity })
    return new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [props.senderAddress, domain, ...props.sandboxRecipients].map(identityArn),
      conditions: { StringEquals: { 'ses:FromAddress': props.senderAddress } },
    })
  }
}
