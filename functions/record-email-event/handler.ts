/**
 * The Lambda that records what SES reports about each code email (S13, S14). SES publishes the
 * events of the configuration set to EventBridge; a rule hands each one to `handler`
 * asynchronously (Lambda retries a failed invocation). Locally, infra/local/ses-events.ts calls the
 * same handler with the same events.
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { emailEvents, emailSender } from '../../infra/api.js'
import { maskAddress } from '../shared/mask-address.js'
import { fromEnvironment, type EmailEventDependencies } from './dependencies.js'
import { readSesEvent } from './read-ses-event.js'
import type { SesEventBridgeEvent } from './ses-event.js'
import { suppressMailbox } from './suppress-mailbox.js'

/** The handler's call signature; the local stack calls it as EventBridge's Lambda target would. */
export type EmailEventHandler = (event: SesEventBridgeEvent, context?: unknown) => Promise<void>

/**
 * Builds a handler over explicit dependencies. For one event: suppress the mailboxes of a hard
 * bounce or a complaint first (idempotent, so a retry after a later failure redoes them safely),
 * then move the session's delivery state, which is monotonic. Counts Send events and new
 * suppressions as metrics, and writes one log line that names the session, the event and the
 * outcome, never a full address or a header (the subject may carry the code).
 * @throws when DynamoDB fails: Lambda retries the event.
 */
export function createHandler(deps: EmailEventDependencies): EmailEventHandler {
  const { logger, metrics } = deps
  return async (event) => {
    const detailType = event?.['detail-type']
    const reading =
      event?.source === 'aws.ses' ? readSesEvent(event.detail, emailSender.sessionTag) : undefined
    if (!reading) {
      logger.info('email event', { outcome: 'skipped', detailType })
      return
    }
    const { eventType, sessionId, transition } = reading
    let suppressed = 0
    for (const { address, reason } of reading.suppress) {
      if (
        await suppressMailbox(deps.dynamodb, deps.tableName, { address, reason, at: transition.at })
      )
        suppressed += 1
    }
    const moved = sessionId ? await deps.deliveryStatus.record({ sessionId, ...transition }) : false

    if (eventType === 'Send') metrics.addMetric(emailEvents.metrics.sent, MetricUnit.Count, 1)
    if (suppressed > 0)
      metrics.addMetric(emailEvents.metrics.suppressed, MetricUnit.Count, suppressed)
    if (eventType === 'Send' || suppressed > 0) metrics.publishStoredMetrics()

    logger.info('email event', {
      outcome: moved ? 'recorded' : 'unchanged',
      eventType,
      sessionId,
      status: transition.status,
      reason: transition.reason,
      suppressed,
      recipients: (event.detail.mail?.destination ?? []).map(maskAddress),
      messageId: event.detail.mail?.messageId,
    })
  }
}

let fromEnv: EmailEventHandler | undefined

/** What Lambda calls: `createHandler(fromEnvironment())`, built on the first invocation. */
export const handler: EmailEventHandler = (event, context) => {
  fromEnv ??= createHandler(fromEnvironment())
  return fromEnv(event, context)
}
