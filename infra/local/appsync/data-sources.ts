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

/** The NONE data source: `ctx.result` is the request's `payload`. */
export const noneDataSource: DataSource = {
  async invoke(request) {
    const payload = (request as { payload?: unknown } | null)?.payload
    return { result: payload === undefined ? null : payload }
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
