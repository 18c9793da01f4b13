import type { DynamoDBRecord } from 'aws-lambda'
import { emailSender } from '../../infra/api.js'
import { claimWhenFree, deliveryLedger, type InvocationTime } from './claim-delivery.js'
import type { EmailSenderDependencies } from './dependencies.js'
import { publicFailureReason } from './failure-reason.js'
import { maskAddress } from '../shared/mask-address.js'
import { otpEmailInputFor } from './otp-email-input.js'
import { renderOtpEmail } from './render-otp-email.js'
import { retryTransient } from './retry.js'
import { sendEmail } from './send-email.js'
import { SendRateFullError } from './send-rate.js'
import { errorName } from './ses-errors.js'
import { refusal, sessionIdOf } from './session-record.js'

// Less time than this before the send deadline: leave the record to the next invocation unclaimed.
const MIN_SEND_WINDOW_MS = 1_000

/** What became of one stream record. Only `retry` is reported back to the event source. */
export type DeliveryOutcome = 'sent' | 'skipped' | 'retry' | 'failed'

interface LogFields {
  sessionId?: string
  attempts?: number
  messageId?: string
  reason?: string
  recipient?: string
  lastError?: string
}

/**
 * Delivers the email a session INSERT asks for, at most once per session (S8): claim (waiting out
 * a claim left by a crashed invocation; the claim returns the code and address, which the stream
 * does not carry), send through the configuration set with the session's tag, with in-invocation
 * retries until `time.sendDeadline`, then settle the claim and record the public delivery state
 * (`SENT`, or `FAILED` with a public reason). A permanent failure or the last allowed attempt ends
 * FAILED and in the dead-letter sink (S9); a transient failure releases the claim and answers
 * `retry`, as does a record there was no time left to claim. Writes exactly one log line, without
 * the code (S6).
 * @throws only when DynamoDB cannot be reached for the claim; the caller reports that as a retry.
 */
export async function deliverSession(
  record: DynamoDBRecord,
  deps: EmailSenderDependencies,
  time: InvocationTime,
): Promise<DeliveryOutcome> {
  const { config, clock, logger } = deps
  const log = (outcome: DeliveryOutcome, fields: LogFields): DeliveryOutcome => {
    const level = outcome === 'failed' ? 'error' : outcome === 'retry' ? 'warn' : 'info'
    logger[level]('otp email delivery', { outcome, ...fields })
    return outcome
  }
  const sessionId = sessionIdOf(record)
  if (!sessionId) return log('skipped', { reason: 'NOT_A_SESSION_INSERT' })

  const latestClaim = time.sendDeadline - MIN_SEND_WINDOW_MS
  if (clock.now() > latestClaim) return log('retry', { sessionId, reason: 'NO_TIME_LEFT' })
  // A place in SES's send rate before the claim: a record that finds none is left unclaimed.
  let place = await deps.sendRate.reserve(latestClaim)
  if (place === undefined) return log('retry', { sessionId, reason: 'SEND_RATE_FULL' })

  const ledger = deliveryLedger(deps.dynamodb, config.tableName)
  const claim = await claimWhenFree(ledger, sessionId, time.leaseUntil, latestClaim, clock)
  if (!claim.claimed) {
    if (claim.session?.delivery === 'SENDING') {
      const attempts = claim.session.deliveryAttempts
      return log('retry', { sessionId, reason: 'CLAIM_HELD', attempts })
    }
    const reason = claim.session ? `ALREADY_${claim.session.delivery ?? 'CLAIMED'}` : 'NOT_FOUND'
    return log('skipped', { sessionId, reason, attempts: claim.session?.deliveryAttempts })
  }
  const { session, attempt } = claim
  const now = clock.now()
  const fields: LogFields = {
    sessionId,
    attempts: attempt,
    recipient: maskAddress(String(session.email)),
  }
  let accepted = false
  try {
    const refused = refusal(session, attempt, now, config.maxDeliveryAttempts)
    if (refused === 'NOT_PENDING') {
      if (await ledger.markFailed(sessionId, attempt, refused)) await recordFailed(refused)
      return log('skipped', { ...fields, reason: refused })
    }
    if (refused) return await giveUp(refused)

    const email = renderOtpEmail(otpEmailInputFor(session, config, now))
    const envelope = {
      from: config.senderAddress,
      to: session.email,
      configurationSet: config.configurationSet,
      tags: { [emailSender.sessionTag]: sessionId },
    }
    const sent = await retryTransient(
      async () => {
        // Every call to SES takes a place in the send rate: the one reserved above, if still good.
        const reserved = place
        place = undefined
        const mayGo =
          (reserved !== undefined && (await deps.sendRate.waitFor(reserved))) ||
          (await deps.sendRate.acquire(time.sendDeadline))
        if (!mayGo) throw new SendRateFullError('no send place before the deadline')
        return sendEmail(deps.ses, envelope, email, {
          // No call may outlive the invocation: its claim would end while SES still answers.
          abortSignal: AbortSignal.timeout(Math.max(1, time.sendDeadline - clock.now())),
        })
      },
      deps.retry,
      time.sendDeadline,
      clock,
    )
    if (sent.ok) {
      accepted = true
      const record = () => ledger.recordSent(sessionId, attempt, sent.value)
      const held = await record().catch(record)
      const status = () =>
        deps.deliveryStatus.record({ sessionId, status: 'SENT', at: clock.now() })
      await status().catch(status)
      return log('sent', {
        ...fields,
        messageId: sent.value,
        ...(held ? {} : { reason: 'CLAIM_LOST' }),
      })
    }
    const lastError = errorName(sent.error)
    if (sent.kind === 'permanent') return await giveUp(lastError)
    if (attempt >= config.maxDeliveryAttempts) return await giveUp('MAX_ATTEMPTS', lastError)
    await ledger.release(sessionId, attempt)
    return log('retry', { ...fields, reason: lastError })
  } catch (error) {
    // Once SES accepted the mail it is sent, recorded or not: a retry would mail the code again.
    if (accepted) return log('sent', { ...fields, reason: `NOT_RECORDED:${errorName(error)}` })
    await ledger.release(sessionId, attempt).catch(() => false)
    return log('retry', { ...fields, reason: errorName(error) })
  }

  async function giveUp(reason: string, lastError?: string): Promise<DeliveryOutcome> {
    // Dead letter first: if it cannot be written, the record is retried rather than marked FAILED unseen.
    await deps.deadLetter({
      type: 'otp-email-undeliverable',
      sessionId: sessionId as string,
      reason,
      attempts: attempt,
      failedAt: new Date(clock.now()).toISOString(),
    })
    if (await ledger.markFailed(sessionId as string, attempt, reason)) await recordFailed(reason)
    return log('failed', { ...fields, reason, ...(lastError ? { lastError } : {}) })
  }

  // Only the invocation that still held the claim says FAILED: a later claim may yet send the mail.
  async function recordFailed(reason: string): Promise<void> {
    const status = () =>
      deps.deliveryStatus.record({
        sessionId: sessionId as string,
        status: 'FAILED',
        at: clock.now(),
        reason: publicFailureReason(reason),
      })
    await status().catch(status)
  }
}
