/* Generated from schema.graphql and operations.ts by `npm run codegen:web`. Do not edit. */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] }
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  | T
  | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never }
/** Outcome of a code check. */
export type OtpStatus =
  /** The session was already verified; a code verifies at most once. */
  | 'ALREADY_USED'
  /** The code expired before this check; request a new one. */
  | 'EXPIRED'
  /** The code did not match. `attemptsRemaining` says how many checks are left. */
  | 'INVALID_CODE'
  /** The session used up its attempts and no code can verify it any more; request a new one. */
  | 'LOCKED'
  /** No session has this id (mistyped, or cleaned up after it expired). */
  | 'NOT_FOUND'
  /** The code matched. The session is consumed and `verificationToken` is set. */
  | 'VERIFIED'

export type RequestOtpMutationVariables = Exact<{
  email: string
}>

export type RequestOtpMutation = {
  requestOtp: {
    sessionId: string
    email: string
    expiresAt: string
    codeLength: number
    maxAttempts: number
    resendAvailableAt: string
  }
}

export type VerifyOtpMutationVariables = Exact<{
  sessionId: string | number
  code: string
}>

export type VerifyOtpMutation = {
  verifyOtp: {
    status: OtpStatus
    attemptsRemaining: number
    verificationToken: string | null
    verificationTokenExpiresAt: string | null
  }
}
