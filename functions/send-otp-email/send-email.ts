import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses'
import type { OtpEmail } from './render-otp-email.js'

/** Thrown before SES is called when a recipient could smuggle a header or a second address. */
export class InvalidRecipientError extends Error {
  override name = 'InvalidRecipientError'
}

// One address, no whitespace or control characters, none of the characters that separate or
// quote addresses in a header. The resolvers already normalised it (AWSEmail, 254 characters).
const PLAIN_ADDRESS = /^[^\s\p{Cc},;:<>()[\]"\\@]+@[^\s\p{Cc},;:<>()[\]"\\@]+$/u

/** Checks the recipient defensively; the message of the error never repeats the address. */
export function assertPlainAddress(address: string): void {
  if (address.length > 254 || !PLAIN_ADDRESS.test(address)) {
    throw new InvalidRecipientError('recipient is not a single plain address')
  }
}

/** Who sends to whom, and how SES should account for the mail. */
export interface Envelope {
  from: string
  to: string
  /** The SES configuration set: its event destination and suppression settings apply (S13). */
  configurationSet: string
  /** SES message tags (names and values of ASCII letters, digits, `_` and `-`), published with every event of the mail. */
  tags: Readonly<Record<string, string>>
}

/**
 * Sends one rendered email through SES v1 `SendEmail` (UTF-8 subject and both body parts) from the
 * configured sender to exactly one recipient, through the configuration set and with the tags of
 * `envelope`. Resolves with the SES message id.
 * @throws InvalidRecipientError for an address that is not a single plain address, else the SES error.
 */
export async function sendEmail(
  ses: SESClient,
  envelope: Envelope,
  email: OtpEmail,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string> {
  assertPlainAddress(envelope.to)
  const result = await ses.send(
    new SendEmailCommand({
      Source: envelope.from,
      Destination: { ToAddresses: [envelope.to] },
      ConfigurationSetName: envelope.configurationSet,
      Tags: Object.entries(envelope.tags).map(([Name, Value]) => ({ Name, Value })),
      Message: {
        Subject: { Data: email.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: email.text, Charset: 'UTF-8' },
          Html: { Data: email.html, Charset: 'UTF-8' },
        },
      },
    }),
    options,
  )
  if (!result.MessageId) throw new Error('SES answered without a MessageId')
  return result.MessageId
}
