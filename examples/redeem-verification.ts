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
  region: string
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }
}

export interface VerifiedEmail {
  email: string
  sessionId: string
  verifiedAt: string
}

const REDEEM =
  'mutation Redeem($token: String!) { redeemVerification(token: $token) { email sessionId verifiedAt } }'

/** Returns the verified address once; null for an unknown, expired or already redeemed token. */
export async function redeemVerification(
  token: string,
  options: RedeemOptions,
): Promise<VerifiedEmail | null> {
  const url = new URL(options.apiUrl)
  const body = JSON.stringify({ query: REDEEM, variables: { token } })
  const signer = new SignatureV4({
    service: 'appsync',
    region: options.region,
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
      `redeemVerification failed: ${result.errors.map((e) => e.errorType ?? e.message).join(', ')}`,
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
