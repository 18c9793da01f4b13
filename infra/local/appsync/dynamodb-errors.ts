/**
 * DynamoDB service errors as AppSync's DynamoDB data source reports them in `ctx.error`:
 * `type` is `DynamoDB:<exception>` for the exceptions the Java SDK models by name and
 * `DynamoDB:DynamoDbException` for the rest (validation errors among them); the message carries
 * the SDK's service/status/request-id suffix.
 */

/** `ctx.error` of a handler whose data source call failed. */
export interface DataSourceError {
  message: string
  type: string
}

const namedExceptions = new Set([
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'TransactionConflictException',
  'TransactionInProgressException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'ResourceNotFoundException',
  'ItemCollectionSizeLimitExceededException',
  'IdempotentParameterMismatchException',
])

interface ServiceError {
  name?: string
  message?: string
  $metadata?: { httpStatusCode?: number; requestId?: string }
}

/** True when DynamoDB answered with an error (as opposed to a network or programming failure). */
export function isServiceError(error: unknown): error is ServiceError {
  return typeof (error as ServiceError | null)?.$metadata?.httpStatusCode === 'number'
}

/** The `ctx.error` AppSync would show for a DynamoDB service error. */
export function toDataSourceError(error: ServiceError): DataSourceError {
  const name = error.name ?? 'DynamoDbException'
  const status = error.$metadata?.httpStatusCode ?? 400
  const requestId = error.$metadata?.requestId ?? 'local'
  const message = (error.message ?? name).replace(/\s+$/, '')
  return {
    type: `DynamoDB:${namedExceptions.has(name) ? name : 'DynamoDbException'}`,
    message: `${message} (Service: DynamoDb, Status Code: ${status}, Request ID: ${requestId})`,
  }
}

/** The error of a failed condition on PutItem, UpdateItem or DeleteItem. */
export function conditionFailed(requestId = 'local'): DataSourceError {
  return toDataSourceError({
    name: 'ConditionalCheckFailedException',
    message: 'The conditional request failed',
    $metadata: { httpStatusCode: 400, requestId },
  })
}
