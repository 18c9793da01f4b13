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
  /** For the sending side only (IAM authorization, granted to the email Lambdas' roles): announces a change of a session's delivery state to the subscribers of `onOtpDelivery` for that session. It stores nothing: the sender records the state on the session first, then calls this, so `otpDelivery` already answers with the new state when subscribers hear of it. Returns its arguments; select every field, because subscribers receive only the fields this mutation selects. Errors: `BadRequest` when the session id is not one this service issues or `reason` is not a short machine word. */
  publishOtpDelivery?: Maybe<OtpDelivery>;
  /** For your backend only (IAM authorization, SigV4-signed): exchanges a `verificationToken` for the verified address and the attempt's `nonce`. A token redeems once; a second call, an unknown token or an expired one returns `null`. */
  redeemVerification?: Maybe<VerifiedEmail>;
  /** Starts a verification session and emails a fresh code to `email`, in the language `locale` names (else the request's `Accept-Language`, else the deployment's default language). The code itself is never returned. Limits count per client (the caller's IP address as AppSync sees it) and per mailbox (the address lower-cased, without a `+tag`, and without dots at Gmail), so a stranger cannot use up yours. Errors: `BadRequest` for an invalid or over-long address or a malformed `locale` or `nonce` (`errorInfo.field` says which), or with `errorInfo.reason` `ADDRESS_UNDELIVERABLE` when mail to the address bounced or was reported as spam (check the address or use another; nothing is sent). `TooManyRequests` with `errorInfo.retryAfterSeconds` and `errorInfo.reason`: `RESEND_COOLDOWN` (this client just asked for this address), `SEND_QUOTA` (this client asked too often for this address), `CLIENT_SEND_QUOTA` (this client asked too often for any addresses), `MAILBOX_SEND_QUOTA` (this address was sent too many codes, by anyone), `SERVICE_BUSY` (the whole service is at its sending rate; retry in a minute), `CONCURRENT_REQUEST` (a concurrent write; retry in a second). */
  requestOtp: OtpChallenge;
  /** Checks a code against a session. Outcomes such as a wrong, expired or already used code are returned as data in `status`, not as errors. Errors: `BadRequest` when the code has the wrong length or a non-digit, or the session id is empty; `TooManyRequests` with `errorInfo.retryAfterSeconds` and `errorInfo.reason`: `FAILURE_BUDGET` (this client entered too many wrong codes for this address), `CLIENT_FAILURE_BUDGET` (this client entered too many wrong codes for any addresses), `MAILBOX_FAILURE_BUDGET` (too many wrong codes were entered for this address, by anyone), `CONCURRENT_REQUEST` (a concurrent write; retry in a second). A right code is never counted as wrong. */
  verifyOtp: OtpVerification;
};


/** Operations that change state: start a verification, check a code, redeem the proof. */
export type MutationPublishOtpDeliveryArgs = {
  at: Scalars['AWSDateTime']['input'];
  reason?: InputMaybe<Scalars['String']['input']>;
  sessionId: Scalars['ID']['input'];
  status: OtpDeliveryStatus;
};


/** Operations that change state: start a verification, check a code, redeem the proof. */
export type MutationRedeemVerificationArgs = {
  token: Scalars['String']['input'];
};


/** Operations that change state: start a verification, check a code, redeem the proof. */
export type MutationRequestOtpArgs = {
  email: Scalars['AWSEmail']['input'];
  locale?: InputMaybe<Scalars['String']['input']>;
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
  /** Earliest moment this client may request another code for this address. */
  resendAvailableAt: Scalars['AWSDateTime']['output'];
  /** Identifies this session in `verifyOtp`. 128 random bits; not guessable, but not secret either. */
  sessionId: Scalars['ID']['output'];
};

/** Where the mail of a session stands. Carries no address and no code. */
export type OtpDelivery = {
  __typename?: 'OtpDelivery';
  /** When the session reached this state (for `QUEUED`, when the code was requested). */
  at: Scalars['AWSDateTime']['output'];
  /** Why, when the state has a reason: a short upper-case machine word such as `MAILBOX_DOES_NOT_EXIST` or `MAILBOX_FULL`; `null` otherwise. */
  reason?: Maybe<Scalars['String']['output']>;
  /** The session this state belongs to. */
  sessionId: Scalars['ID']['output'];
  /** The state; see `OtpDeliveryStatus`. */
  status: OtpDeliveryStatus;
};

/** The life of one mail, from our queue to the recipient's mailbox. `DELAYED` may still be followed by `DELIVERED` or `BOUNCED`; `BOUNCED`, `COMPLAINED` and `FAILED` are final. */
export type OtpDeliveryStatus =
  /** The recipient's mail server refused the mail for good (for example, no such mailbox). Request a code for another address. */
  | 'BOUNCED'
  /** The recipient marked the mail as spam. */
  | 'COMPLAINED'
  /** The recipient's mail server has not accepted the mail yet; sending goes on. */
  | 'DELAYED'
  /** The recipient's mail server accepted the mail. */
  | 'DELIVERED'
  /** The mail could not be sent; request a new code. */
  | 'FAILED'
  /** The code was requested; the mail is waiting to be sent. */
  | 'QUEUED'
  /** Our mail service accepted the mail for sending. */
  | 'SENT';

/** The limits that apply to every challenge, as configured at deploy time. */
export type OtpPolicy = {
  __typename?: 'OtpPolicy';
  /** Number of digits in a code. */
  codeLength: Scalars['Int']['output'];
  /** Seconds a code stays valid after it is requested. */
  codeTtlSeconds: Scalars['Int']['output'];
  /** Code checks allowed per session before it locks. */
  maxAttempts: Scalars['Int']['output'];
  /** Seconds before the same client may request another code for the same address. */
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

/** Read-only operations: the policy (for backends) and where a session's mail stands. */
export type Query = {
  __typename?: 'Query';
  /** Where the mail of a session stands now: queued, sent, delivered, delayed, bounced, complained about or failed. A client that subscribes to `onOtpDelivery` reads this once after subscribing, so an update published before it subscribed is not missed. Returns `null` for an unknown session id (mistyped, or cleaned up after it expired). Never returns the address or the code. Errors: `BadRequest` when the session id is empty or longer than 128 characters. */
  otpDelivery?: Maybe<OtpDelivery>;
  /** For your backend only (IAM authorization): the settings that shape every challenge (code length, expiry, attempts, resend cooldown). Browsers learn the same from the `OtpChallenge` that `requestOtp` returns. IAM is the API's default mode: the API key reaches only what is marked `@aws_api_key` (`requestOtp`, `verifyOtp`, `otpDelivery`, `onOtpDelivery` and their results). */
  otpPolicy: OtpPolicy;
};


/** Read-only operations: the policy (for backends) and where a session's mail stands. */
export type QueryOtpDeliveryArgs = {
  sessionId: Scalars['ID']['input'];
};

/** Updates pushed over AppSync's real-time WebSocket endpoint. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Every change of the delivery state of one session, as the sending side publishes it. A subscriber receives the updates of the session it names and no other's. Subscribe first, then read `otpDelivery` once for the state at that moment; updates that follow arrive here. */
  onOtpDelivery?: Maybe<OtpDelivery>;
};


/** Updates pushed over AppSync's real-time WebSocket endpoint. */
export type SubscriptionOnOtpDeliveryArgs = {
  sessionId: Scalars['ID']['input'];
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
