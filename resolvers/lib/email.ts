import { util } from '@aws-appsync/utils'
import { badRequest } from './errors'

/** RFC 5321 limit on a forward path, which is what a mailbox address must fit in. */
export const MAX_EMAIL_LENGTH = 254

/**
 * Normalises an address once (trim, lower-case) and enforces what AWSEmail does not:
 * the 254-character limit, a 64-character local part, and no whitespace or control
 * characters anywhere (nothing that could reach an email header).
 */
export function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase()
  if (email.length > MAX_EMAIL_LENGTH) {
    badRequest(`The email address is longer than ${MAX_EMAIL_LENGTH} characters.`, 'email')
  }
  if (
    !util.matches(
      '^[^\\s\\x00-\\x1f\\x7f@",:;<>()\\[\\]\\\\]{1,64}@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$',
      email,
    )
  ) {
    badRequest('The email address is not valid.', 'email')
  }
  return email
}
