/** What every DynamoDB operation module works on: the client, the bound table, the tally and the request. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { CapacityTally } from './data-sources.js'

export interface DynamoDbDataSourceOptions {
  client: DynamoDBClient
  /** The table the data source is bound to (requests other than transactions name no table). */
  tableName: string
  tally: CapacityTally
}

/** One request object on its way to DynamoDB. */
export interface DynamoDbTarget extends DynamoDbDataSourceOptions {
  request: Record<string, unknown>
}
