/**
 * Query and Scan: `{ items, nextToken, scannedCount }`, with `nextToken` an opaque string that
 * carries DynamoDB's LastEvaluatedKey (AppSync's token is opaque too; only round-tripping matters).
 */
import { QueryCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb'
import type { DataSourceOutcome } from './data-sources.js'
import type { DynamoDbTarget } from './dynamodb-data-source.js'
import { expressionAttributes, type RequestExpression } from './dynamodb-expressions.js'
import { fromItem, MalformedRequestError } from './dynamodb-json.js'

function encodeToken(key: Record<string, AttributeValue> | undefined): string | null {
  if (!key) return null
  const json = JSON.stringify(key, (_name, value: unknown) =>
    value instanceof Uint8Array ? { $binary: Buffer.from(value).toString('base64') } : value,
  )
  return Buffer.from(json, 'utf8').toString('base64url')
}

function decodeToken(token: unknown): Record<string, AttributeValue> | undefined {
  if (token === undefined || token === null) return undefined
  try {
    return JSON.parse(
      Buffer.from(String(token), 'base64url').toString('utf8'),
      (_name, value: unknown) => {
        const binary = (value as { $binary?: unknown } | null)?.$binary
        return typeof binary === 'string' ? Buffer.from(binary, 'base64') : value
      },
    ) as Record<string, AttributeValue>
  } catch {
    throw new MalformedRequestError('nextToken is not a token this data source issued')
  }
}

/** Runs a Query or Scan request object. */
export async function listItems({
  client,
  tableName,
  tally,
  request,
}: DynamoDbTarget): Promise<DataSourceOutcome> {
  const query = request.query as RequestExpression | undefined
  const filter = request.filter as RequestExpression | undefined
  const projection = request.projection as RequestExpression | undefined
  if (request.operation === 'Query' && typeof query?.expression !== 'string') {
    throw new MalformedRequestError('query.expression must be a string')
  }
  const common = {
    TableName: tableName,
    IndexName: typeof request.index === 'string' ? request.index : undefined,
    Limit: typeof request.limit === 'number' ? request.limit : undefined,
    ConsistentRead: request.consistentRead === true,
    ExclusiveStartKey: decodeToken(request.nextToken),
    FilterExpression: filter?.expression,
    ProjectionExpression: projection?.expression,
    Select: typeof request.select === 'string' ? (request.select as 'ALL_ATTRIBUTES') : undefined,
    ...expressionAttributes(query, filter, projection),
    ReturnConsumedCapacity: 'TOTAL' as const,
  }
  const output =
    request.operation === 'Query'
      ? await client.send(
          new QueryCommand({
            ...common,
            KeyConditionExpression: query?.expression,
            ScanIndexForward: request.scanIndexForward !== false,
          }),
        )
      : await client.send(
          new ScanCommand({
            ...common,
            Segment: typeof request.segment === 'number' ? request.segment : undefined,
            TotalSegments:
              typeof request.totalSegments === 'number' ? request.totalSegments : undefined,
          }),
        )
  tally.addRead(output.ConsumedCapacity?.CapacityUnits)
  return {
    result: {
      items: (output.Items ?? []).map(fromItem),
      nextToken: encodeToken(output.LastEvaluatedKey),
      scannedCount: output.ScannedCount ?? 0,
    },
  }
}
