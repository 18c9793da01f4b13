/**
 * The binding rule every relying backend applies after `redeemVerification`: a verification signs
 * someone in only for the sign-in attempt that asked for it. Without it, a backend that redeems
 * whatever token the browser posts can be handed a token earned elsewhere, for instance by an
 * attacker for their own address (login CSRF, token injection), or stolen from another attempt.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { VerifiedEmail } from '../../redeem-verification.js'

/** What the server keeps about an attempt, server-side: never taken from the browser's word. */
export interface SignInAttempt {
  /** The address this attempt expects, normalised as the API normalises it (trimmed, lower-case). */
  email: string
  /** The fresh random value created for this attempt and passed to requestOtp. */
  nonce: string
}

/** Why a posted token signs nobody in. */
export type VerificationRefusal =
  /** redeemVerification returned null: unknown, expired, or already redeemed (a replay). */
  | 'TOKEN_SPENT_OR_EXPIRED'
  /** The token proves another address than the one this attempt expects. */
  | 'OTHER_ADDRESS'
  /** The token was earned in another attempt, or in one that sent no nonce. */
  | 'OTHER_ATTEMPT'

/**
 * Null when `verified` (redeemVerification's answer to the posted token) proves `attempt`:
 * the same address and the same nonce. Otherwise why not. Redeeming spent the token either way.
 */
export function verificationRefusal(
  attempt: SignInAttempt,
  verified: VerifiedEmail | null,
): VerificationRefusal | null {
  if (!verified) return 'TOKEN_SPENT_OR_EXPIRED'
  if (verified.email !== attempt.email) return 'OTHER_ADDRESS'
  if (verified.nonce === null || !sameValue(verified.nonce, attempt.nonce)) return 'OTHER_ATTEMPT'
  return null
}

/** Compares in constant time (over digests, so that the lengths need not match). */
function sameValue(a: string, b: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(a), digest(b))
}
