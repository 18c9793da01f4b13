import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs'

/**
 * What the dead-letter destination learns about a mail that could not be sent: enough to find the
 * session and judge the failure, never the code or the address.
 */
export interface UndeliverableEmail {
  type: 'otp-email-undeliverable'
  sessionId: string
  /** Short reason: an SES error name (`MessageRejected`), `MAX_ATTEMPTS`, `EXPIRED`, ... */
  reason: string
  /** Delivery attempts made for the session, this one included. */
  attempts: number
  /** ISO 8601. */
  failedAt: string
}

/** Where undeliverable mail is recorded. Resolves once the record is durable; rejects otherwise. */
export type DeadLetterSink = (message: UndeliverableEmail) => Promise<void>

/** The AWS destination: one SQS message per undeliverable mail. */
export function sqsDeadLetterSink(sqs: SQSClient, queueUrl: string): DeadLetterSink {
  return async (message) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: { type: { DataType: 'String', StringValue: message.type } },
      }),
    )
  }
}
