/**
 * Timing spans around every request a DynamoDB client sends, without changing the requests:
 * how long a flow spent waiting on DynamoDB, against how long it took end to end.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'

export interface SpanTally {
  calls: number
  totalMs: number
}

export interface SpanTimer {
  read(): SpanTally
  reset(): void
}

/** Starts timing every later request on `client` (from the SDK's first middleware to the parsed response). */
export function timeRequests(client: DynamoDBClient): SpanTimer {
  let tally: SpanTally = { calls: 0, totalMs: 0 }
  client.middlewareStack.add(
    (next) => async (args) => {
      const started = performance.now()
      try {
        return await next(args)
      } finally {
        tally = { calls: tally.calls + 1, totalMs: tally.totalMs + performance.now() - started }
      }
    },
    { step: 'initialize', name: 'benchSpanTimer' },
  )
  return {
    read: () => ({ ...tally }),
    reset: () => {
      tally = { calls: 0, totalMs: 0 }
    },
  }
}
