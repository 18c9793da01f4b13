/**
 * The OTP table in DynamoDB Local, created from `infra/api.ts` `table` exactly as CDK
 * deploys it: `pk` string key, on-demand, stream of keys only, TTL on `ttl`.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  type TimeToLiveSpecification,
} from '@aws-sdk/client-dynamodb'
import { table } from '../api.js'

/** The table as a `CreateTable` request; a test compares it with the CDK template. */
export function tableDefinition(tableName: string = table.localName): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: table.partitionKey.name, AttributeType: table.partitionKey.type },
    ],
    KeySchema: [{ AttributeName: table.partitionKey.name, KeyType: 'HASH' }],
    BillingMode: table.billingMode,
    StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType },
  }
}

/** TTL is not part of `CreateTable`; it is switched on by a second call with this specification. */
export const timeToLiveSpecification: TimeToLiveSpecification = {
  AttributeName: table.ttlAttribute,
  Enabled: true,
}

export interface TableInfo {
  tableName: string
  /** The stream the email consumer polls. */
  streamArn: string
  /** False when the table already existed (a persistent database directory). */
  created: boolean
}

/**
 * Creates the table and enables TTL, or accepts the table if it is already there; an existing
 * table whose stream shows another view (a database kept from before the stream became keys-only)
 * gets a new stream with the view of `infra/api.ts`. Safe to call repeatedly and concurrently.
 * @throws Error when an existing table has no stream (a database made by something else).
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string = table.localName,
): Promise<TableInfo> {
  let created = true
  try {
    await client.send(new CreateTableCommand(tableDefinition(tableName)))
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error
    created = false
  }
  let streamArn = await waitUntilActive(client, tableName)
  if (!created) streamArn = await matchStreamView(client, tableName, streamArn)
  await enableTimeToLive(client, tableName)
  return { tableName, streamArn, created }
}

/** Replaces a stream whose view differs from `table.streamViewType` (its records are dropped). */
async function matchStreamView(
  client: DynamoDBClient,
  tableName: string,
  streamArn: string,
): Promise<string> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
  if (Table?.StreamSpecification?.StreamViewType === table.streamViewType) return streamArn
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: false },
    }),
  )
  await waitUntilActive(client, tableName)
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType },
    }),
  )
  return waitUntilActive(client, tableName)
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<string> {
  // DynamoDB Local creates tables synchronously; the loop is for a table another caller is creating.
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }))
    if (Table?.TableStatus === 'ACTIVE') {
      if (!Table.LatestStreamArn) {
        throw new Error(
          `table ${tableName} exists without a stream: delete the local database directory`,
        )
      }
      return Table.LatestStreamArn
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`table ${tableName} did not become ACTIVE`)
}

async function enableTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  if (await timeToLiveEnabled(client, tableName)) return
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: timeToLiveSpecification,
      }),
    )
  } catch (error) {
    // A concurrent caller enabled it between our check and our update ("already enabled").
    if (!(await timeToLiveEnabled(client, tableName))) throw error
  }
}

async function timeToLiveEnabled(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  )
  const status = TimeToLiveDescription?.TimeToLiveStatus
  return status === 'ENABLED' || status === 'ENABLING'
}
