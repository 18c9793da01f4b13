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

/**
 * Sends one rendered email through SES v1 `SendEmail` (UTF-8 subject and both body parts) from the
 * configured sender to exactly one recipient. Resolves with the SES message id.
 * @throws InvalidRecipientError for an address that is not a single plain address, else the SES error.
 */
export async function sendEmail(
  ses: SESClient,
  from: string,
  to: string,
  email: OtpEmail,
  options: { abortSignal?: AbortSignal } = {},
): Promise<string> {
  assertPlainAddress(to)
  const result = await ses.send(
    new SendEmailCommand({
      Source: from,
      Destination: { ToAddresses: [to] },
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
