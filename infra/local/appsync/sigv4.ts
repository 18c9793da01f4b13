/**
 * Verifies an AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 ...`, service `appsync`)
 * against the one local IAM identity, by recomputing it with `@smithy/signature-v4` over exactly
 * the headers the client signed. The signature must cover `host`, the signing time and the body
 * actually received (no `UNSIGNED-PAYLOAD`). Refusals carry AppSync's (STS-style) error types
 * and messages.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'

export interface IamConfig {
  accessKeyId: string
  secretAccessKey: string
  region: string
  accountId?: string
}

interface SignedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

export interface SignatureRefusal {
  errorType: string
  message: string
}

// AWS accepts a signing time up to five minutes away from its clock.
const MAX_SKEW_MS = 5 * 60_000

const mismatch: SignatureRefusal = {
  errorType: 'InvalidSignatureException',
  message:
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
}

function parseAuthorization(
  value: string,
): { credential: string[]; signedHeaders: string[]; signature: string } | undefined {
  const fields: Record<string, string> = {}
  for (const part of value.slice('AWS4-HMAC-SHA256'.length).split(',')) {
    const [name, ...rest] = part.trim().split('=')
    if (name) fields[name] = rest.join('=')
  }
  if (!fields.Credential || !fields.SignedHeaders || !fields.Signature) return undefined
  return {
    credential: fields.Credential.split('/'),
    signedHeaders: fields.SignedHeaders.split(';'),
    signature: fields.Signature,
  }
}

/**
 * The refusal for a signature that leaves out the host (it could be replayed against another
 * endpoint) or the signing time (its age could not be checked). The host refusal is AWS's
 * (type and wording); the date one follows its pattern.
 */
function missingSignedHeader(signedHeaders: string[]): SignatureRefusal | undefined {
  if (!signedHeaders.includes('host'))
    return {
      errorType: 'InvalidSignatureException',
      message: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    }
  if (!signedHeaders.includes('x-amz-date') && !signedHeaders.includes('date'))
    return {
      errorType: 'InvalidSignatureException',
      message: "'X-Amz-Date' or 'Date' must be a 'SignedHeader' in the AWS Authorization.",
    }
  return undefined
}

function parseAmzDate(value: string | undefined): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '')
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[]
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s)
}

function single(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(',') : value ?? ''
}

/** Resolves to undefined when the signature is valid, else to the refusal AppSync would send. */
export async function verifySigV4(
  request: SignedRequest,
  authorization: string,
  iam: IamConfig,
  nowMs: number,
): Promise<SignatureRefusal | undefined> {
  const parsed = parseAuthorization(authorization)
  if (!parsed)
    return {
      errorType: 'IncompleteSignatureException',
      message: 'Authorization header requires Credential, SignedHeaders and Signature.',
    }
  const [accessKeyId, scopeDate, region, service] = parsed.credential
  if (accessKeyId !== iam.accessKeyId)
    return {
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    }
  const amzDate = single(request.headers['x-amz-date'])
  const signedAt = parseAmzDate(amzDate)
  if (
    signedAt === undefined ||
    scopeDate !== amzDate.slice(0, 8) ||
    region !== iam.region ||
    service !== 'appsync'
  )
    return mismatch
  if (Math.abs(nowMs - signedAt) > MAX_SKEW_MS) {
    return {
      errorType: 'InvalidSignatureException',
      message: `Signature expired: ${amzDate} is now outside the allowed 5 minute window.`,
    }
  }
  const missing = missingSignedHeader(parsed.signedHeaders)
  if (missing) return missing
  // The signature must cover the body actually received: a claimed hash (UNSIGNED-PAYLOAD
  // included) that is not the body's would let a captured request carry another body.
  const claimedHash = request.headers['x-amz-content-sha256']
  if (
    claimedHash !== undefined &&
    single(claimedHash) !== createHash('sha256').update(request.body).digest('hex')
  )
    return mismatch

  const url = new URL(request.url, 'http://local')
  const headers: Record<string, string> = {}
  for (const name of parsed.signedHeaders) headers[name] = single(request.headers[name])
  const query: Record<string, string | string[]> = {}
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key)
    query[key] = values.length === 1 ? values[0] ?? '' : values
  }
  const sessionToken = headers['x-amz-security-token']
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: iam.accessKeyId,
      secretAccessKey: iam.secretAccessKey,
      ...(sessionToken ? { sessionToken } : {}),
    },
    region: iam.region,
    service: 'appsync',
    sha256: Sha256,
  })
  const expected = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? 'localhost',
      path: url.pathname,
      query,
      headers,
      body: request.body,
    },
    { signingDate: new Date(signedAt) },
  )
  const expectedSignature =
    /Signature=([0-9a-f]+)/.exec(single(expected.headers.authorization))?.[1] ?? ''
  const given = Buffer.from(parsed.signature)
  const wanted = Buffer.from(expectedSignature)
  return given.length === wanted.length && timingSafeEqual(given, wanted) ? undefined : mismatch
}
