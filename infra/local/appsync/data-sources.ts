/**
 * What a pipeline step's data source is to the executor, the NONE data source, and the tally of
 * DynamoDB capacity the benchmarks turn into cost.
 */
import type { DataSourceError } from './dynamodb-errors.js'

/** What a data source hands the response handler: `ctx.result`, and `ctx.error` when it failed. */
export interface DataSourceOutcome {
  result: unknown
  error?: DataSourceError
}

/** Executes the request object a request handler returned. */
export interface DataSource {
  invoke(request: unknown): Promise<DataSourceOutcome>
}

/** Thrown for a request object AppSync would refuse before calling the data source (errorType `MappingTemplate`). */
export class InvalidRequestError extends Error {
  override name = 'InvalidRequestError'
}

/** Thrown for a request AppSync would run but the local runtime does not implement. */
export class UnsupportedRequestError extends Error {
  override name = 'UnsupportedRequestError'
}

/**
 * The NONE data source: `ctx.result` is the request's `payload`. Its request object holds `payload`
 * (and optionally `version`); any other key is refused as AppSync refuses unknown keys.
 */
export const noneDataSource: DataSource = {
  async invoke(request) {
    const record = (typeof request === 'object' && request !== null ? request : {}) as Record<
      string,
      unknown
    >
    const unknownKey = Object.keys(record).find((key) => key !== 'payload' && key !== 'version')
    if (unknownKey !== undefined)
      throw new InvalidRequestError(`Unsupported element '$[${unknownKey}]'.`)
    return { result: record.payload === undefined ? null : record.payload }
  },
}

/** Running totals of DynamoDB capacity units, as DynamoDB reports them (`ReturnConsumedCapacity: TOTAL`). */
export class CapacityTally {
  readUnits = 0
  writeUnits = 0

  addRead(units: number | undefined): void {
    this.readUnits += units ?? 0
  }

  addWrite(units: number | undefined): void {
    this.writeUnits += units ?? 0
  }

  snapshot(): { readUnits: number; writeUnits: number } {
    return { readUnits: this.readUnits, writeUnits: this.writeUnits }
  }
}
