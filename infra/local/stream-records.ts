/** DynamoDB Streams API records turned into the records Lambda hands a stream function. */
import type { _Record as StreamApiRecord } from '@aws-sdk/client-dynamodb-streams'
import type { DynamoDBRecord } from 'aws-lambda'

/** A record as Lambda delivers it, with the fields the local consumer relies on made required. */
export type LambdaStreamRecord = DynamoDBRecord & {
  eventID: string
  eventSourceARN: string
  dynamodb: NonNullable<DynamoDBRecord['dynamodb']> & {
    SequenceNumber: string
    ApproximateCreationDateTime: number
  }
}

/**
 * Converts a `GetRecords` record to Lambda's event record: the same fields, plus `eventSourceARN`
 * (the stream), with `ApproximateCreationDateTime` in epoch seconds as Lambda sends it (the SDK
 * parses it into a Date) and attribute values in DynamoDB JSON.
 */
export function toLambdaRecord(
  record: StreamApiRecord,
  streamArn: string,
  region: string,
): LambdaStreamRecord {
  const stream = record.dynamodb ?? {}
  const created = stream.ApproximateCreationDateTime
  // The SDK's AttributeValue union is structurally the same DynamoDB JSON Lambda sends; a JSON
  // round trip drops the SDK-only `$unknown` member and any Uint8Array becomes base64 as in Lambda.
  const images = JSON.parse(
    JSON.stringify(
      { Keys: stream.Keys, NewImage: stream.NewImage, OldImage: stream.OldImage },
      (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
    ),
  ) as Pick<NonNullable<DynamoDBRecord['dynamodb']>, 'Keys' | 'NewImage' | 'OldImage'>
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as DynamoDBRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    // DynamoDB Local reports its own pseudo-region (`ddblocal`); Lambda reports the table's region.
    awsRegion: region,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(
        (created instanceof Date ? created.getTime() : Date.now()) / 1000,
      ),
      ...images,
      SequenceNumber: stream.SequenceNumber ?? '',
      SizeBytes: stream.SizeBytes ?? 0,
      StreamViewType: stream.StreamViewType as NonNullable<
        DynamoDBRecord['dynamodb']
      >['StreamViewType'],
    },
    eventSourceARN: streamArn,
  }
}
