/* Generated from schema.graphql by `npm run codegen`. Do not edit. */
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  AWSDate: { input: string; output: string; }
  AWSDateTime: { input: string; output: string; }
  AWSEmail: { input: string; output: string; }
  AWSIPAddress: { input: string; output: string; }
  AWSJSON: { input: string; output: string; }
  AWSPhone: { input: string; output: string; }
  AWSTime: { input: string; output: string; }
  AWSTimestamp: { input: number; output: number; }
  AWSURL: { input: string; output: string; }
};

/** Operations that change state: start a verification, check a code, redeem the proof. */
export type Mutation = {
  __typename?: 'Mutation';
  /** For your backend only (IAM authorization, SigV4-signed): exchanges a `verificationToken` for the verified address and the attempt's `nonce`. A token redeems once; a second call, an unknown token or an expired one returns `null`. */
  redeemVerification?: Maybe<VerifiedEmail>;
  /** Starts a verification session and emails a fresh code to `email`. The code itself is never returned. Errors: `BadRequest` for an invalid or over-long address or a malformed `nonce`; `TooManyRequests` (with `errorInfo.retryAfterSeconds`) while the address is cooling down or over its send quota for the current window (`errorInfo.reason`: `RESEND_COOLDOWN`, `SEND_QUOTA`). */
  requestOtp: OtpChallenge;
  /** Checks a code against a session. Outcomes such as a wrong, expired or already used code are returned as data in `status`, not as errors. Errors: `BadRequest` when the code has the wrong length or a non-digit, or the session id is empty; `TooManyRequests` when the address has failed too many checks recently. */
  verifyOtp: OtpVerification;
};


/** Operations that change state: start a verification, check a code, redeem the proof. */
export type MutationRedeemVerificationArgs = {
  token: Scalars['String']['input'];
};


/** Operations that change state: start a verification, check a code, redeem the proof. */
export type MutationRequestOtpArgs = {
  email: Scalars['AWSEmail']['input'];
  nonce?: InputMaybe<Scalars['String']['input']>;
};


/** Operations that change state: start a verification, check a code, redeem the proof. */
export type MutationVerifyOtpArgs = {
  code: Scalars['String']['input'];
  sessionId: Scalars['ID']['input'];
};

/** A verification session that has started: a code is on its way to the address. */
export type OtpChallenge = {
  __typename?: 'OtpChallenge';
  /** Number of digits in the code, for sizing the input. */
  codeLength: Scalars['Int']['output'];
  /** The normalised address the code was sent to (trimmed, lower-cased). */
  email: Scalars['AWSEmail']['output'];
  /** When the code stops working. */
  expiresAt: Scalars['AWSDateTime']['output'];
  /** Code checks this session allows before it locks. */
  maxAttempts: Scalars['Int']['output'];
  /** Earliest moment another code may be requested for this address. */
  resendAvailableAt: Scalars['AWSDateTime']['output'];
  /** Identifies this session in `verifyOtp`. 128 random bits; not guessable, but not secret either. */
  sessionId: Scalars['ID']['output'];
};

/** The limits that apply to every challenge, as configured at deploy time. */
export type OtpPolicy = {
  __typename?: 'OtpPolicy';
  /** Number of digits in a code. */
  codeLength: Scalars['Int']['output'];
  /** Seconds a code stays valid after it is requested. */
  codeTtlSeconds: Scalars['Int']['output'];
  /** Code checks allowed per session before it locks. */
  maxAttempts: Scalars['Int']['output'];
  /** Seconds to wait before the same address may request another code. */
  resendCooldownSeconds: Scalars['Int']['output'];
};

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
  | 'VERIFIED';

/** The outcome of one code check. */
export type OtpVerification = {
  __typename?: 'OtpVerification';
  /** Code checks left in this session. After `INVALID_CODE` with 0 left, the session is locked and a new code must be requested; 0 as well once it is verified, locked, expired or gone. */
  attemptsRemaining: Scalars['Int']['output'];
  /** What happened; see `OtpStatus`. */
  status: OtpStatus;
  /** Present only when `status` is `VERIFIED`: single-use proof for your backend to redeem with `redeemVerification` before `verificationTokenExpiresAt`. Do not treat it as a session token. */
  verificationToken?: Maybe<Scalars['String']['output']>;
  /** Present only when `status` is `VERIFIED`: when the token can no longer be redeemed. */
  verificationTokenExpiresAt?: Maybe<Scalars['AWSDateTime']['output']>;
};

/** Read-only operations. The API is driven by mutations; this type exists because GraphQL requires one. */
export type Query = {
  __typename?: 'Query';
  /** For your backend only (IAM authorization): the settings that shape every challenge (code length, expiry, attempts, resend cooldown). Browsers learn the same from the `OtpChallenge` that `requestOtp` returns; the API key reaches the two public mutations and nothing else. */
  otpPolicy: OtpPolicy;
};

/** A verified address, returned once to the backend that redeems the verification token. */
export type VerifiedEmail = {
  __typename?: 'VerifiedEmail';
  /** The address that was verified (normalised). */
  email: Scalars['AWSEmail']['output'];
  /** The `nonce` passed to `requestOtp` for this session, or `null` when none was. Accept the verification only when it equals the nonce of the sign-in attempt that asked for it (and `email` is the address that attempt expects): a token earned in another attempt, possibly the attacker's, then signs nobody in. */
  nonce?: Maybe<Scalars['String']['output']>;
  /** The session that verified it. */
  sessionId: Scalars['ID']['output'];
  /** When the code was verified. */
  verifiedAt: Scalars['AWSDateTime']['output'];
};
