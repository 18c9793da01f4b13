/**
 * Deployment choices that are not product settings: they shape the AWS resources, not the
 * behaviour of the API. Product settings (code length, limits, sender) come from
 * `infra/settings.ts` so that AWS and the local stack share them.
 */
import type { Node } from 'constructs'

export interface DeployConfig {
  /** Protect the table from deletion and retain its data (and the KMS key) when the stack is destroyed. */
  deletionProtection: boolean
  /** Create the SES email identity for the sender address; false when it already exists in the account. */
  createSesIdentity: boolean
  /** Addresses the Lambda may also send to while the SES account is in the sandbox (the sandbox checks recipient identities too). */
  sandboxRecipients: string[]
  /** Requests one client IP may make in any 5 minutes before the web ACL blocks it. */
  wafRateLimit: number
  /** `requestOtp` requests one client IP may make in any 5 minutes before the web ACL blocks it. */
  wafRequestOtpRateLimit: number
  /**
   * SigV4-signed (IAM) requests one IP may make in any 5 minutes: the sending Lambdas'
   * `publishOtpDelivery` calls and backends' `redeemVerification` come from few IPs, so they get
   * their own, higher limit instead of sharing `wafRateLimit`.
   */
  wafSignedRateLimit: number
  /** Days until the API key expires (AppSync accepts 1..365); every deploy moves the date forward. */
  apiKeyExpiryDays: number
  /** Bump to rotate the API key: the next deploy replaces the key and rewrites `config.json`. */
  apiKeyGeneration: number
  /** Reserved concurrency of the email Lambda; 0 leaves it unreserved (accounts with a low concurrency quota). */
  emailReservedConcurrency: number
  /** Where alarm notifications go; no topic is created when absent. */
  alarmEmail: string | undefined
}

export const defaultDeployConfig: Readonly<DeployConfig> = Object.freeze({
  deletionProtection: true,
  createSesIdentity: false,
  sandboxRecipients: [],
  wafRateLimit: 300,
  wafRequestOtpRateLimit: 30,
  wafSignedRateLimit: 60_000,
  apiKeyExpiryDays: 365,
  apiKeyGeneration: 1,
  emailReservedConcurrency: 5,
  alarmEmail: undefined,
})

/** Thrown when a context value is malformed; the message names the context key. */
export class InvalidDeployConfigError extends Error {
  override name = 'InvalidDeployConfigError'
}

type BooleanKey = 'deletionProtection' | 'createSesIdentity'
type IntegerKey =
  | 'wafRateLimit'
  | 'wafRequestOtpRateLimit'
  | 'wafSignedRateLimit'
  | 'apiKeyExpiryDays'
  | 'apiKeyGeneration'
  | 'emailReservedConcurrency'

const integerRanges: Readonly<Record<IntegerKey, readonly [number, number]>> = {
  wafRateLimit: [10, 2_000_000_000],
  wafRequestOtpRateLimit: [10, 2_000_000_000],
  wafSignedRateLimit: [10, 2_000_000_000],
  apiKeyExpiryDays: [1, 365],
  apiKeyGeneration: [1, 1_000_000],
  emailReservedConcurrency: [0, 1000],
}

function readBoolean(node: Node, key: BooleanKey): boolean {
  const raw: unknown = node.tryGetContext(key)
  if (raw === undefined) return defaultDeployConfig[key]
  // `cdk synth -c key=false` passes the string 'false'; cdk.json passes a boolean.
  if (raw === true || raw === 'true') return true
  if (raw === false || raw === 'false') return false
  throw new InvalidDeployConfigError(`context ${key} must be true or false, got ${String(raw)}`)
}

function readInteger(node: Node, key: IntegerKey): number {
  const raw: unknown = node.tryGetContext(key)
  if (raw === undefined) return defaultDeployConfig[key]
  const [min, max] = integerRanges[key]
  const value = typeof raw === 'number' ? raw : Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidDeployConfigError(
      `context ${key} must be an integer from ${min} to ${max}, got ${String(raw)}`,
    )
  }
  return value
}

function readAddresses(node: Node, key: keyof DeployConfig): string[] {
  const raw: unknown = node.tryGetContext(key)
  if (raw === undefined || raw === '') return []
  const list = Array.isArray(raw) ? raw : String(raw).split(',')
  return list.map((entry) => String(entry).trim()).filter((entry) => entry !== '')
}

/**
 * Reads the deployment choices from CDK context (`cdk.json` or `cdk synth -c key=value`).
 * @throws InvalidDeployConfigError naming the first malformed key.
 */
export function readDeployConfig(node: Node): DeployConfig {
  const alarmEmail: unknown = node.tryGetContext('alarmEmail')
  return {
    deletionProtection: readBoolean(node, 'deletionProtection'),
    createSesIdentity: readBoolean(node, 'createSesIdentity'),
    sandboxRecipients: readAddresses(node, 'sandboxRecipients'),
    wafRateLimit: readInteger(node, 'wafRateLimit'),
    wafSignedRateLimit: readInteger(node, 'wafSignedRateLimit'),
    wafRequestOtpRateLimit: readInteger(node, 'wafRequestOtpRateLimit'),
    apiKeyExpiryDays: readInteger(node, 'apiKeyExpiryDays'),
    apiKeyGeneration: readInteger(node, 'apiKeyGeneration'),
    emailReservedConcurrency: readInteger(node, 'emailReservedConcurrency'),
    alarmEmail: typeof alarmEmail === 'string' && alarmEmail !== '' ? alarmEmail : undefined,
  }
}
