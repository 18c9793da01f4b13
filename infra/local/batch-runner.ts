/**
 * What the event source mapping does with one batch until every record in it is either done or
 * discarded: partial-batch checkpoints, bisection on function errors, the retry quota, the maximum
 * record age. See https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html and
 * .../services-ddb-batchfailurereporting.html.
 */
import type { InvokeVerdict } from './lambda-invoke.js'
import type { LambdaStreamRecord } from './stream-records.js'

export interface BatchPolicy {
  /** Retries of a failing batch before its records are discarded; -1 retries until they are too old. */
  retryAttempts: number
  /** Split a batch in two when the function errors (splits do not use the retry quota). */
  bisectBatchOnError: boolean
  /** Records older than this are discarded unprocessed; -1 means no limit. */
  maxRecordAgeSeconds: number
  /** Pause before the n-th retry: base * 2^(n-1), at most 16 × base. */
  retryBaseDelayMs: number
}

export type DiscardCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded'

/** Records given up on, in stream order, for the on-failure destination. */
export interface DiscardedRecords {
  records: LambdaStreamRecord[]
  condition: DiscardCondition
  /** Invocations this sub-batch had (0 when it was too old to be sent at all). */
  invokeCount: number
  /** The function's last failure, when there was one. */
  lastError?: string
  functionError: boolean
}

export interface BatchRunnerHooks {
  invoke(records: LambdaStreamRecord[]): Promise<InvokeVerdict>
  discard(discarded: DiscardedRecords): Promise<void>
  /** Resolves false when the consumer is stopping: the batch is left for the next start. */
  pause(ms: number): Promise<boolean>
  now(): number
}

interface Pending {
  records: LambdaStreamRecord[]
  retries: number
  invokes: number
}

/**
 * Drives one batch to completion. Resolves true when every record was delivered or discarded,
 * false when stopped first (nothing past the last success is then considered processed).
 */
export async function runBatch(
  batch: LambdaStreamRecord[],
  policy: BatchPolicy,
  hooks: BatchRunnerHooks,
): Promise<boolean> {
  const queue: Pending[] = [{ records: batch, retries: 0, invokes: 0 }]
  while (queue.length > 0) {
    const head = queue[0] as Pending
    const tooOld =
      policy.maxRecordAgeSeconds < 0 ? 0 : countTooOld(head.records, policy, hooks.now())
    if (tooOld > 0) {
      await hooks.discard({
        records: head.records.slice(0, tooOld),
        condition: 'RecordAgeExceeded',
        invokeCount: head.invokes,
        functionError: false,
      })
      head.records = head.records.slice(tooOld)
      if (head.records.length === 0) {
        queue.shift()
        continue
      }
    }
    head.invokes += 1
    const verdict = await hooks.invoke(head.records)
    if (verdict.kind === 'ok') {
      queue.shift()
      continue
    }
    if (verdict.kind === 'error' && policy.bisectBatchOnError && head.records.length > 1) {
      const middle = Math.ceil(head.records.length / 2)
      queue.splice(0, 1, fresh(head.records.slice(0, middle)), fresh(head.records.slice(middle)))
      continue
    }
    // Records before the lowest failed one are checkpointed; the rest is retried.
    if (verdict.kind === 'partial') head.records = head.records.slice(verdict.firstFailed)
    head.retries += 1
    if (policy.retryAttempts >= 0 && head.retries > policy.retryAttempts) {
      const lastError = verdict.kind === 'error' ? verdict.reason : 'batchItemFailures'
      const functionError = verdict.kind === 'error' && verdict.functionError
      await hooks.discard({
        records: head.records,
        condition: 'RetryAttemptsExhausted',
        invokeCount: head.invokes,
        lastError,
        functionError,
      })
      queue.shift()
      continue
    }
    const delay = policy.retryBaseDelayMs * 2 ** Math.min(head.retries - 1, 4)
    if (!(await hooks.pause(delay))) return false
  }
  return true
}

function fresh(records: LambdaStreamRecord[]): Pending {
  return { records, retries: 0, invokes: 0 }
}

// Records arrive in order, so the ones past their age form a prefix.
function countTooOld(records: LambdaStreamRecord[], policy: BatchPolicy, now: number): number {
  const oldest = now / 1000 - policy.maxRecordAgeSeconds
  const index = records.findIndex((r) => r.dynamodb.ApproximateCreationDateTime >= oldest)
  return index < 0 ? records.length : index
}
