/**
 * How a relying backend redeems a verification token: one SigV4-signed GraphQL call (IAM auth).
 * Copy this into your backend. On AWS the credentials come from the backend's IAM role
 * (any `@aws-sdk/credential-providers` provider works); locally they are the local stack's.
 *
 *   npx tsx examples/redeem-verification.ts <token>    # against the local stack started by `npm start`
 */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

export interface RedeemOptions {
  apiUrl: string
  /**
   * The region to sign for. Default: the one in an AppSync URL (`*.appsync-api.<region>.amazonaws.com`);
   * the local stack has none in its URL and expects the region it prints (`LOCAL_IAM_REGION`).
   */
  region?: string
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

export interface VerifiedEmail {
  email: string
  sessionId: string
  verifiedAt: string
  /** The nonce your server passed to requestOtp for this attempt; null when none was. */
  nonce: string | null
}

const REDEEM =
  'mutation Redeem($token: String!) { redeemVerification(token: $token) { email sessionId verifiedAt nonce } }'

/** The region of an AppSync GraphQL endpoint URL, or undefined for another URL (a custom domain, the local stack). */
export function regionOf(apiUrl: string): string | undefined {
  return /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(new URL(apiUrl).hostname)?.[1]
}

/**
 * Returns the verified address and the attempt's nonce, once; null for an unknown, expired or
 * already redeemed token. Accept only when both are those of the attempt that asked for the code
 * (see examples/two-step/server/verification-refusal.ts).
 */
export async function redeemVerification(
  token: string,
  options: RedeemOptions,
): Promise<VerifiedEmail | null> {
  const url = new URL(options.apiUrl)
  const region = options.region ?? regionOf(options.apiUrl)
  if (!region) throw new Error(`Pass the region to sign for: ${options.apiUrl} names none`)
  const body = JSON.stringify({ query: REDEEM, variables: { token } })
  const signer = new SignatureV4({
    service: 'appsync',
    region,
    credentials: options.credentials,
    sha256: Sha256,
  })
  const request = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  })
  const response = await fetch(url, { method: 'POST', headers: request.headers, body })
  const result = (await response.json()) as {
    data?: { redeemVerification: VerifiedEmail | null }
    errors?: { errorType?: string; message: string }[]
  }
  if (result.errors?.length)
    throw new Error(
      `redeemVerification failed: ${result.errors
        .map((e) => (e.errorType ? `${e.errorType}: ${e.message}` : e.message))
        .join(', ')}`,
    )
  return result.data?.redeemVerification ?? null
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const token = process.argv[2]
  if (!token) {
    console.error('usage: npx tsx examples/redeem-verification.ts <verificationToken>')
    process.exit(2)
  }
  const verified = await redeemVerification(token, {
    apiUrl: process.env.API_URL ?? 'http://localhost:4000/graphql',
    region: process.env.LOCAL_IAM_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.LOCAL_IAM_ACCESS_KEY_ID ?? 'ASIALOCALDEVELOPMENT',
      secretAccessKey:
        process.env.LOCAL_IAM_SECRET_ACCESS_KEY ?? 'local-development-secret-access-key',
    },
  })
  console.log(JSON.stringify(verified, null, 2))
}
