import { util } from '@aws-appsync/utils'
import { badRequest } from './errors'

/**
 * Bounds of the relying app's nonce. At least 16 characters, so that a guessable value such as
 * `1` is refused; 128 random bits (22 base64url or 32 hex characters) are what we recommend.
 */
export const MIN_NONCE_LENGTH = 16
export const MAX_NONCE_LENGTH = 128

/** RFC 3986's unreserved characters: base64url, hex and UUIDs fit, and nothing needs escaping. */
const NONCE = `^[A-Za-z0-9._~-]{${MIN_NONCE_LENGTH},${MAX_NONCE_LENGTH}}$`

/**
 * The nonce that binds this session to the relying app's sign-in attempt, kept exactly as sent
 * (never trimmed or case-folded: the relying backend compares it byte for byte), or undefined
 * when none was sent. Anything outside the bounds halts with `BadRequest` on field `nonce`.
 */
export function readNonce(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined
  if (raw.length > MAX_NONCE_LENGTH || !util.matches(NONCE, raw)) {
    badRequest(
      `The nonce must be ${MIN_NONCE_LENGTH} to ${MAX_NONCE_LENGTH} characters from A-Z, a-z, 0-9, "-", ".", "_" and "~".`,
      'nonce',
    )
  }
  return raw
}
