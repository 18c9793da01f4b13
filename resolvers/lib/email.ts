import { util } from '@aws-appsync/utils'
import { badRequest } from './errors'

/** RFC 5321 limit on a forward path, which is what a mailbox address must fit in. */
export const MAX_EMAIL_LENGTH = 254

/** RFC 5321 limit on the local part. */
const MAX_LOCAL_PART_LENGTH = 64

/** RFC 5322 `atext`: the characters of a dot-atom, printable ASCII only. */
const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"

/** A DNS label: letters, digits and inner hyphens, 1 to 63 characters. */
const LABEL = '[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'

/**
 * A dot-atom local part, `@`, and two or more labels, anchored at both ends. Every character
 * class is spelled out in ASCII, so no control (C0, C1), bidi or other non-ASCII character can
 * pass, whatever AppSync's AWSEmail ("RFC 822") lets through.
 */
const ADDRESS = `^${ATEXT}+(\\.${ATEXT}+)*@${LABEL}(\\.${LABEL})+$`

/**
 * Normalises an address once (trim, lower-case) after checking it against our own ASCII
 * pattern and the length limits (254 in all, 64 before the `@`). The check runs before
 * lower-casing, because lower-casing can turn a non-ASCII character into ASCII (the Kelvin
 * sign becomes `k`).
 */
export function normaliseEmail(raw: string): string {
  const trimmed = raw.trim()
  if (trimmed.length > MAX_EMAIL_LENGTH) {
    badRequest(`The email address is longer than ${MAX_EMAIL_LENGTH} characters.`, 'email')
  }
  if (!util.matches(ADDRESS, trimmed) || trimmed.indexOf('@') > MAX_LOCAL_PART_LENGTH) {
    badRequest('The email address is not valid.', 'email')
  }
  return trimmed.toLowerCase()
}
