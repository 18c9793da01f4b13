import { Duration } from 'aws-cdk-lib'
import type { ITable } from 'aws-cdk-lib/aws-dynamodb'
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda'
import { SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources'
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs'
import type { IQueue } from 'aws-cdk-lib/aws-sqs'

/** How Lambda feeds one reader of the table's stream (`emailSender`, `domainEvents` in infra/api.ts). */
export interface StreamReaderSettings {
  filterPattern: Record<string, unknown>
  batchSize: number
  parallelizationFactor?: number
  maxBatchingWindowSeconds: number
  reportBatchItemFailures: boolean
  bisectBatchOnError: boolean
  retryAttempts: number
  maxRecordAgeSeconds: number
  startingPosition: keyof typeof StartingPosition
}

/**
 * Makes `handler` a reader of `table`'s stream: the L2 EventSourceMapping that DynamoEventSource
 * wraps, with the role's stream grants written out here instead of added out of sight. Records
 * that exhaust their retries go to `onFailure`.
 */
export function readTableStream(
  handler: NodejsFunction,
  table: ITable,
  settings: StreamReaderSettings,
  onFailure: IQueue,
): void {
  const streamArn = table.tableStreamArn
  if (streamArn === undefined) throw new Error('The OTP table has no stream')
  handler.addEventSourceMapping('TableStream', {
    eventSourceArn: streamArn,
    startingPosition: StartingPosition[settings.startingPosition],
    filters: [FilterCriteria.filter(settings.filterPattern)],
    batchSize: settings.batchSize,
    parallelizationFactor: settings.parallelizationFactor,
    maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
    reportBatchItemFailures: settings.reportBatchItemFailures,
    bisectBatchOnError: settings.bisectBatchOnError,
    retryAttempts: settings.retryAttempts,
    maxRecordAge: Duration.seconds(settings.maxRecordAgeSeconds),
    onFailure: new SqsDlq(onFailure),
  })
  handler.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      resources: [streamArn],
    }),
  )
  // AWS's execution policy for stream consumers (AWSLambdaDynamoDBExecutionRole) includes
  // ListStreams, which has no resource-level permissions: a grant on the stream ARN allows
  // nothing, only "*" does. It returns the account's stream ARNs, never records.
  handler.addToRolePolicy(
    new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }),
  )
}
