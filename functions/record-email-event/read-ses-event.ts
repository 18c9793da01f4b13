import type { DeliveryTransition } from '../shared/delivery-status.js'
import type { SesBounce, SesComplaint, SesEvent } from './ses-event.js'

/** What one SES event means for us. */
export interface EmailEventReading {
  eventType: SesEvent['eventType']
  /** The session the mail belongs to, from its message tag; absent for mail that is not a code. */
  sessionId: string | undefined
  /** The delivery state the event moves its session to. */
  transition: Omit<DeliveryTransition, 'sessionId'>
  /** Addresses that must not be mailed again: hard bounces and complaints. */
  suppress: { address: string; reason: 'BOUNCE' | 'COMPLAINT' }[]
}

const SESSION_ID = /^[0-9a-f]{32}$/

/** `TransientCommunicationFailure` → `TRANSIENT_COMMUNICATION_FAILURE`, `IPFailure` → `IP_FAILURE`. */
export function toReasonWord(value: string | null | undefined, fallback: string): string {
  if (!value || !/^[A-Za-z]{1,60}$/.test(value)) return fallback
  return value
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
}

const MISSING_MAILBOX_STATUS = new Set(['5.1.1', '5.1.10'])

function bounceReason(bounce: SesBounce): string {
  const { bounceType, bounceSubType } = bounce
  if (bounceType === 'Permanent') {
    if (bounceSubType === 'OnAccountSuppressionList') return 'ON_ACCOUNT_SUPPRESSION_LIST'
    if (bounceSubType === 'Suppressed') return 'ON_GLOBAL_SUPPRESSION_LIST'
    const unknownUser = bounce.bouncedRecipients.some((r) =>
      MISSING_MAILBOX_STATUS.has(r.status ?? ''),
    )
    if (bounceSubType === 'NoEmail' || unknownUser) return 'MAILBOX_DOES_NOT_EXIST'
    return 'PERMANENT_FAILURE'
  }
  if (bounceType === 'Transient') {
    if (bounceSubType === 'AttachmentRejected') return 'CONTENT_REJECTED'
    return bounceSubType === 'General'
      ? 'TEMPORARY_FAILURE'
      : toReasonWord(bounceSubType, 'TEMPORARY_FAILURE')
  }
  return 'UNDETERMINED'
}

function complaintReason(complaint: SesComplaint): string {
  if (complaint.complaintSubType === 'OnAccountSuppressionList')
    return 'ON_ACCOUNT_SUPPRESSION_LIST'
  const type = complaint.complaintFeedbackType
  if (type === 'fraud') return 'REPORTED_AS_FRAUD'
  if (type === 'virus') return 'REPORTED_AS_VIRUS'
  return 'MARKED_AS_SPAM'
}

function timeOf(iso: string | undefined, fallback: string): number {
  const at = Date.parse(iso ?? '')
  return Number.isNaN(at) ? Date.parse(fallback) : at
}

/**
 * Reads an SES event: the session (message tag `sessionTag`), the delivery state it reaches, and
 * the mailboxes to suppress: every bounced recipient of a `Permanent` bounce and every complained
 * recipient. Undefined for an event that says nothing about delivery: an event type we do not
 * subscribe to, or a complaint of feedback type `not-spam` (the reporter says the mail is wanted).
 */
export function readSesEvent(event: SesEvent, sessionTag: string): EmailEventReading | undefined {
  const tag = event.mail?.tags?.[sessionTag]?.[0]
  const sessionId = tag !== undefined && SESSION_ID.test(tag) ? tag : undefined
  const sentAt = event.mail?.timestamp ?? new Date(0).toISOString()
  const reading = (
    transition: EmailEventReading['transition'],
    suppress: EmailEventReading['suppress'] = [],
  ): EmailEventReading => ({ eventType: event.eventType, sessionId, transition, suppress })

  switch (event.eventType) {
    case 'Send':
      return reading({ status: 'SENT', at: timeOf(sentAt, sentAt) })
    case 'Delivery':
      return reading({ status: 'DELIVERED', at: timeOf(event.delivery?.timestamp, sentAt) })
    case 'DeliveryDelay': {
      const { delayType, timestamp } = event.deliveryDelay ?? {}
      const reason = toReasonWord(
        delayType === 'General' ? undefined : delayType,
        'TEMPORARY_FAILURE',
      )
      return reading({ status: 'DELAYED', at: timeOf(timestamp, sentAt), reason })
    }
    case 'Bounce': {
      const bounce = event.bounce
      const hard = bounce.bounceType === 'Permanent'
      const suppress = hard
        ? bounce.bouncedRecipients.map((r) => ({
            address: r.emailAddress,
            reason: 'BOUNCE' as const,
          }))
        : []
      return reading(
        { status: 'BOUNCED', at: timeOf(bounce.timestamp, sentAt), reason: bounceReason(bounce) },
        suppress,
      )
    }
    case 'Complaint': {
      const complaint = event.complaint
      if (complaint.complaintFeedbackType === 'not-spam') return undefined
      const suppress = complaint.complainedRecipients.map((r) => ({
        address: r.emailAddress,
        reason: 'COMPLAINT' as const,
      }))
      const at = timeOf(complaint.timestamp, sentAt)
      return reading({ status: 'COMPLAINED', at, reason: complaintReason(complaint) }, suppress)
    }
    case 'Reject':
      return reading({ status: 'FAILED', at: timeOf(sentAt, sentAt), reason: 'MESSAGE_REJECTED' })
    default:
      return undefined
  }
}
