/** The two ways the bench calls the API: with the API key (a browser) and SigV4-signed (a backend). */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

export interface ApiTarget {
  /** `http://host:port/graphql` */
  url: string
  apiKey: string
}

export interface IamCredentials {
  accessKeyId: string
  secretAccessKey: string
  region: string
}

/** Thrown when a call answers with GraphQL errors or a non-200 status; carries AppSync's errorType. */
export class GraphqlCallError extends Error {
  override name = 'GraphqlCallError'
}

async function parse<T>(response: Response, field: string): Promise<T> {
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null
    errors?: { message: string; errorType?: string }[]
  }
  const error = body.errors?.[0]
  if (response.status !== 200 || error || !body.data) {
    throw new GraphqlCallError(
      `${field}: HTTP ${response.status} ${error?.errorType ?? ''} ${error?.message ?? ''}`.trim(),
    )
  }
  return body.data[field] as T
}

/** POSTs one operation with the API key and returns `data[field]`. */
export async function callGraphql<T>(
  target: ApiTarget,
  field: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
    body: JSON.stringify({ query, variables }),
  })
  return parse<T>(response, field)
}

/** POSTs one operation signed with SigV4 (service `appsync`), as a backend does, and returns `data[field]`. */
export async function callSignedGraphql<T>(
  url: string,
  iam: IamCredentials,
  field: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<T> {
  const target = new URL(url)
  const body = JSON.stringify({ query, variables })
  const signer = new SignatureV4({
    service: 'appsync',
    region: iam.region,
    credentials: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey },
    sha256: Sha256,
  })
  const signed = await signer.sign({
    method: 'POST',
    protocol: target.protocol,
    hostname: target.hostname,
    port: Number(target.port),
    path: target.pathname,
    query: {},
    headers: { host: target.host, 'content-type': 'application/json' },
    body,
  })
  const headers = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name !== 'host'),
  )
  return parse<T>(await fetch(target, { method: 'POST', headers, body }), field)
}

export const REQUEST_OTP = /* GraphQL */ `
  mutation Request($email: AWSEmail!) {
    requestOtp(email: $email) {
      sessionId
    }
  }
`
export const VERIFY_OTP = /* GraphQL */ `
  mutation Verify($sessionId: ID!, $code: String!) {
    verifyOtp(sessionId: $sessionId, code: $code) {
      status
      verificationToken
    }
  }
`
export const REDEEM_VERIFICATION = /* GraphQL */ `
  mutation Redeem($token: String!) {
    redeemVerification(token: $token) {
      email
    }
  }
`
