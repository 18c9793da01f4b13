/**
 * The events SES publishes for a configuration set, as EventBridge delivers them: an envelope
 * (`source: aws.ses`, `detail-type: Email Bounced`, ...) whose `detail` is the SES event record.
 * Field names and values are SES's (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html);
 * only the fields this project reads or the local stack writes are typed.
 */

/** The email an event is about. */
export interface SesMail {
  /** ISO 8601: when SES accepted the message. */
  timestamp: string
  messageId: string
  source: string
  sourceArn?: string
  sendingAccountId?: string
  destination: string[]
  headersTruncated?: boolean
  /** The message's headers, the subject included: never log them. */
  headers?: { name: string; value: string }[]
  commonHeaders?: { from?: string[]; to?: string[]; messageId?: string; subject?: string }
  /** `ses:configuration-set`, `ses:source-ip`, ... and the message tags the sender gave. */
  tags?: Record<string, string[]>
}

export interface SesRecipientStatus {
  emailAddress: string
  action?: string
  /** The enhanced status code, `5.1.1` for an unknown user. */
  status?: string
  diagnosticCode?: string
}

export interface SesBounce {
  bounceType: 'Undetermined' | 'Permanent' | 'Transient'
  bounceSubType: string
  bouncedRecipients: SesRecipientStatus[]
  timestamp: string
  feedbackId: string
  reportingMTA?: string
}

export interface SesComplaint {
  complainedRecipients: { emailAddress: string }[]
  timestamp: string
  feedbackId: string
  complaintSubType?: string | null
  complaintFeedbackType?: string
  userAgent?: string
  arrivalDate?: string
}

export interface SesDelivery {
  timestamp: string
  processingTimeMillis: number
  recipients: string[]
  smtpResponse: string
  reportingMTA: string
}

export interface SesDeliveryDelay {
  timestamp: string
  delayType: string
  expirationTime: string
  delayedRecipients: SesRecipientStatus[]
  reportingMTA?: string
}

/** The SES event record (`detail` of the EventBridge event). */
export type SesEvent =
  | { eventType: 'Send'; mail: SesMail; send: Record<string, never> }
  | { eventType: 'Delivery'; mail: SesMail; delivery: SesDelivery }
  | { eventType: 'DeliveryDelay'; mail: SesMail; deliveryDelay: SesDeliveryDelay }
  | { eventType: 'Bounce'; mail: SesMail; bounce: SesBounce }
  | { eventType: 'Complaint'; mail: SesMail; complaint: SesComplaint }
  | { eventType: 'Reject'; mail: SesMail; reject: { reason: string } }

/** What EventBridge hands a Lambda target: its envelope around the SES event. */
export interface SesEventBridgeEvent {
  version: string
  id: string
  'detail-type': string
  source: string
  account: string
  /** ISO 8601, whole seconds. */
  time: string
  region: string
  resources: string[]
  detail: SesEvent
}
