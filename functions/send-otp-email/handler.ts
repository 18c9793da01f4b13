/**
 * The stream Lambda that mails each code: Lambda calls `handler` with batches of session INSERTs
 * (keys only; the event source filter drops everything else) and retries what it reports as failed.
 */
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda'
import { fromEnvironment, type EmailSenderDependencies } from './dependencies.js'
import type { InvocationTime } from './claim-delivery.js'
import { emailSender } from '../../infra/api.js'
import { mapWithConcurrency } from './concurrency.js'
import { deliverSession, type DeliveryOutcome } from './deliver-session.js'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { errorName } from './ses-errors.js'
import { sessionIdOf } from './session-record.js'

/** The handler's call signature; the local stream consumer calls it exactly as Lambda would. */
export type EmailHandler = (
  event: DynamoDBStreamEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<DynamoDBBatchResponse>

// Time kept back from the SES retries for the DynamoDB writes that settle the claim.
const SETTLE_RESERVE_MS = 3_000
// Used when the caller gives no Lambda context (tests, scripts): the deployed timeout.
const DEFAULT_BUDGET_MS = 30_000
// A claim outlives its invocation by this much, for clock skew between execution environments.
const LEASE_MARGIN_MS = 2_000

/**
 * Builds a handler over explicit dependencies, so that several stacks can run in one process.
 *
 * Records are processed each on its own, up to `emailSender.parallelSends` at a time (each paced
 * by the send-rate gate), so that one bad record fails alone. The answer lists, by
 * `dynamodb.SequenceNumber` (what Lambda expects for streams), only the records worth retrying:
 * transient failures. Sent, skipped and permanently failed records are done.
 */
export function createHandler(deps: EmailSenderDependencies): EmailHandler {
  return async (event, context) => {
    const end = deps.clock.now() + (context?.getRemainingTimeInMillis() ?? DEFAULT_BUDGET_MS)
    const time: InvocationTime = {
      sendDeadline: end - SETTLE_RESERVE_MS,
      leaseUntil: end + LEASE_MARGIN_MS,
    }
    const outcomes = await mapWithConcurrency(event.Records, emailSender.parallelSends, (record) =>
      deliverSession(record, deps, time).catch((error: unknown) => {
        const sessionId = sessionIdOf(record)
        const reason = errorName(error)
        deps.logger.warn('otp email delivery', { outcome: 'retry', sessionId, reason })
        return 'retry' as const
      }),
    )
    const batchItemFailures = event.Records.filter((_, i) => outcomes[i] === 'retry').map(
      (record) => ({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }),
    )
    countOutcomes(deps, outcomes)
    return { batchItemFailures }
  }
}

const OUTCOME_METRICS = {
  sent: emailSender.metrics.sent,
  retry: emailSender.metrics.retried,
  failed: emailSender.metrics.failed,
} as const

/** One EMF line per invocation with the count of each outcome that occurred (never a code or an address). */
function countOutcomes(deps: EmailSenderDependencies, outcomes: readonly DeliveryOutcome[]): void {
  let counted = false
  for (const [outcome, metric] of Object.entries(OUTCOME_METRICS)) {
    const count = outcomes.filter((o) => o === outcome).length
    if (count > 0) deps.metrics.addMetric(metric, MetricUnit.Count, count)
    counted ||= count > 0
  }
  if (counted) deps.metrics.publishStoredMetrics()
}

let fromEnv: EmailHandler | undefined

/**
 * What Lambda calls: `createHandler(fromEnvironment())`. The clients, logger and configuration are
 * built once, on the first invocation of the execution environment, rather than at import, so that
 * the local stack and tests can import `createHandler` without the Lambda's environment variables.
 */
export const handler: EmailHandler = (event, context) => {
  fromEnv ??= createHandler(fromEnvironment())
  return fromEnv(event, context)
}
