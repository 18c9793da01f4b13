/**
 * What SES would publish for a mail it accepted, by recipient: the SES mailbox simulator's
 * addresses (https://docs.aws.amazon.com/ses/latest/dg/send-an-email-from-console.html#send-email-simulator)
 * with the event records SES writes for them, and a plain delivery for every other address.
 *
 * | recipient (any `+label` allowed)          | events after Send                                  |
 * | ----------------------------------------- | -------------------------------------------------- |
 * | `success@simulator.amazonses.com`, others | Delivery                                           |
 * | `bounce@simulator.amazonses.com`          | Bounce (Permanent, General, 5.1.1 user unknown)    |
 * | `complaint@simulator.amazonses.com`       | Delivery, Complaint (abuse)                        |
 * | `suppressionlist@simulator.amazonses.com` | Bounce (Permanent, OnAccountSuppressionList)       |
 * | `success+delayed@simulator.amazonses.com` | local only: DeliveryDelay, later Delivery          |
 */
import type { SesBounce, SesEvent, SesMail } from '../../functions/record-email-event/ses-event.js'

export const SIMULATOR_DOMAIN = 'simulator.amazonses.com'
/** The label that, locally, delays the delivery of `success@` (on AWS it is only a label). */
export const DELAYED_LABEL = 'delayed'

/** One event and when to publish it, in ms after the mail was accepted. */
export interface SimulatedEvent {
  afterMs: number
  event: SesEvent
}

const iso = (epochMs: number) => new Date(epochMs).toISOString()
const feedbackId = (mail: SesMail, kind: string) => `${mail.messageId}-${kind}-000000`

function bounce(
  mail: SesMail,
  recipient: string,
  at: number,
  subType: string,
  diagnosticCode: string,
): SesBounce {
  return {
    bounceType: 'Permanent',
    bounceSubType: subType,
    bouncedRecipients: [
      { emailAddress: recipient, action: 'failed', status: '5.1.1', diagnosticCode },
    ],
    timestamp: iso(at),
    feedbackId: feedbackId(mail, 'bounce'),
    reportingMTA: 'dsn; a8-96.smtp-out.amazonses.com',
  }
}

/**
 * The events SES would publish for `recipient` of `mail` (accepted at `acceptedAt`) after the one
 * Send event of the mail. `delayedDeliveryMs`: when the delayed mail is delivered.
 */
export function simulatedEvents(
  mail: SesMail,
  recipient: string,
  acceptedAt: number,
  delayedDeliveryMs: number,
): SimulatedEvent[] {
  const at = recipient.lastIndexOf('@')
  const domain = recipient.slice(at + 1).toLowerCase()
  const [box = '', label] = recipient.slice(0, at).toLowerCase().split('+')
  const scenario = domain === SIMULATOR_DOMAIN ? box : 'success'
  const after = (afterMs: number, event: SesEvent): SimulatedEvent => ({ afterMs, event })
  const delivery = (afterMs: number) =>
    after(afterMs, {
      eventType: 'Delivery',
      mail,
      delivery: {
        timestamp: iso(acceptedAt + afterMs),
        processingTimeMillis: afterMs,
        recipients: [recipient],
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'a8-96.smtp-out.amazonses.com',
      },
    })

  if (scenario === 'bounce') {
    const record = bounce(
      mail,
      recipient,
      acceptedAt + 20,
      'General',
      'smtp; 550 5.1.1 user unknown',
    )
    return [after(20, { eventType: 'Bounce', mail, bounce: record })]
  }
  if (scenario === 'suppressionlist') {
    const why =
      'Amazon SES did not send the message to this address because it is on the suppression list for your account.'
    const record = bounce(mail, recipient, acceptedAt + 20, 'OnAccountSuppressionList', why)
    return [
      after(20, {
        eventType: 'Bounce',
        mail,
        bounce: { ...record, reportingMTA: 'dns; amazonses.com' },
      }),
    ]
  }
  if (scenario === 'complaint') {
    const complaint = {
      complainedRecipients: [{ emailAddress: recipient }],
      timestamp: iso(acceptedAt + 40),
      feedbackId: feedbackId(mail, 'complaint'),
      complaintFeedbackType: 'abuse',
      userAgent: 'Amazon SES Mailbox Simulator',
      arrivalDate: iso(acceptedAt + 40),
    }
    return [delivery(20), after(40, { eventType: 'Complaint', mail, complaint })]
  }
  if (scenario === 'success' && label === DELAYED_LABEL && domain === SIMULATOR_DOMAIN) {
    const delay = {
      timestamp: iso(acceptedAt + 20),
      delayType: 'TransientCommunicationFailure',
      expirationTime: iso(acceptedAt + 15 * 60_000),
      delayedRecipients: [
        {
          emailAddress: recipient,
          status: '4.4.1',
          diagnosticCode: 'smtp; 421 4.4.1 Unable to connect to remote host',
        },
      ],
    }
    return [
      after(20, { eventType: 'DeliveryDelay', mail, deliveryDelay: delay }),
      delivery(delayedDeliveryMs),
    ]
  }
  return [delivery(20)]
}
