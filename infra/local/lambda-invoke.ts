/** One synchronous Lambda invocation, as the event source mapping makes it: context, timeout, verdict. */
import { randomUUID } from 'node:crypto'
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda'
import type { LambdaStreamRecord } from './stream-records.js'

/** A stream function: what Lambda would call. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | void | null | undefined>

export interface InvokeSettings {
  functionName: string
  region: string
  timeoutSeconds: number
  memoryMb: number
  reportBatchItemFailures: boolean
}

/**
 * How Lambda reads the answer: `ok`; `partial` with the index of the lowest failed record (the
 * checkpoint); or `error` when the function threw, timed out, or named an item that is empty or
 * not in the batch (Lambda treats that as a failure of the whole batch).
 */
export type InvokeVerdict =
  | { kind: 'ok' }
  | { kind: 'partial'; firstFailed: number }
  | { kind: 'error'; reason: string; functionError: boolean }

/** A Lambda-like context: remaining time counts down from the configured timeout. */
export function createContext(settings: InvokeSettings, deadline: number): Context {
  const { functionName, region } = settings
  const noop = () => undefined
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(settings.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${randomUUID()}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: noop,
    fail: noop,
    succeed: noop,
  }
}

/** The sequence-number checkpoint Lambda derives from a partial batch response. */
function readResponse(
  response: DynamoDBBatchResponse | void | null | undefined,
  batch: readonly LambdaStreamRecord[],
): InvokeVerdict {
  const failures = response?.batchItemFailures
  if (!Array.isArray(failures) || failures.length === 0) return { kind: 'ok' }
  let firstFailed = batch.length
  for (const failure of failures) {
    const index = batch.findIndex((r) => r.dynamodb.SequenceNumber === failure?.itemIdentifier)
    if (!failure?.itemIdentifier || index < 0) {
      return {
        kind: 'error',
        reason: 'invalid batchItemFailures itemIdentifier',
        functionError: false,
      }
    }
    firstFailed = Math.min(firstFailed, index)
  }
  return { kind: 'partial', firstFailed }
}

/**
 * Invokes `handler` with `batch` and judges the outcome as Lambda does. A function that runs past
 * its timeout is reported as an error; unlike Lambda it cannot be frozen, so it may still finish
 * in the background (the email handler bounds its own work by the remaining time).
 */
export async function invokeBatch(
  handler: StreamHandler,
  batch: readonly LambdaStreamRecord[],
  settings: InvokeSettings,
): Promise<InvokeVerdict> {
  const timeoutMs = settings.timeoutSeconds * 1000
  const context = createContext(settings, Date.now() + timeoutMs)
  let timer: NodeJS.Timeout | undefined
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs)
  })
  try {
    const result = await Promise.race([handler({ Records: [...batch] }, context), timedOut])
    if (result === 'timeout')
      return { kind: 'error', reason: 'Task timed out', functionError: true }
    return settings.reportBatchItemFailures ? readResponse(result, batch) : { kind: 'ok' }
  } catch (error) {
    return {
      kind: 'error',
      reason: error instanceof Error ? error.name : 'Unhandled',
      functionError: true,
    }
  } finally {
    clearTimeout(timer)
  }
}
