/**
 * Verifies an AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 ...`, service `appsync`)
 * against the one local IAM identity, as AWS does: the canonical request is built from exactly the
 * headers the client listed in `SignedHeaders` (no more: AppSync requires neither
 * `x-amz-content-sha256` nor any header beyond `host` and the date), and its payload hash is the
 * SHA-256 of the body actually received, so a body the signature does not cover (a changed body,
 * `UNSIGNED-PAYLOAD`) fails the comparison. `host` and `x-amz-date` must be signed. Refusals carry
 * AWS's error types and messages, the mismatch message with the canonical request and
 * string-to-sign AWS would have expected.
 */
import { timingSafeEqual } from 'node:crypto'
import {
  canonicalRequest,
  headerValue,
  sha256Hex,
  signatureOf,
  type SignedRequest,
} from './sigv4-canonical.js'

export interface IamConfig {
  accessKeyId: string
  secretAccessKey: string
  region: string
  accountId?: string
}

export interface SignatureRefusal {
  errorType: string
  message: string
}

const ALGORITHM = 'AWS4-HMAC-SHA256'
const SERVICE = 'appsync'
// AWS accepts a signing time up to five minutes away from its clock.
const MAX_SKEW_MS = 5 * 60_000

const invalid = (message: string): SignatureRefusal => ({
  errorType: 'InvalidSignatureException',
  message,
})

interface Authorization {
  accessKeyId: string
  scope: string[]
  signedHeaders: string[]
  signature: string
}

function parseAuthorization(value: string): Authorization | SignatureRefusal {
  const fields: Record<string, string> = {}
  for (const part of value.slice(ALGORITHM.length).split(',')) {
    const [name, ...rest] = part.trim().split('=')
    if (name) fields[name] = rest.join('=')
  }
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !fields[name])
  if (missing.length > 0 || !fields.Credential || !fields.SignedHeaders || !fields.Signature)
    return {
      errorType: 'IncompleteSignatureException',
      message: `${missing
        .map((name) => `Authorization header requires '${name}' parameter.`)
        .join(' ')} Authorization=${value}`,
    }
  const [accessKeyId = '', ...scope] = fields.Credential.split('/')
  return {
    accessKeyId,
    scope,
    signedHeaders: fields.SignedHeaders.split(';'),
    signature: fields.Signature,
  }
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!match) return undefined
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[]
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s)
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

/** Resolves to undefined when the signature is valid, else to the refusal AppSync would send. */
export function verifySigV4(
  request: SignedRequest,
  authorization: string,
  iam: IamConfig,
  nowMs: number,
): SignatureRefusal | undefined {
  const parsed = parseAuthorization(authorization)
  if ('errorType' in parsed) return parsed
  if (parsed.accessKeyId !== iam.accessKeyId)
    return {
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    }
  const signedHeaders = parsed.signedHeaders.map((name) => name.toLowerCase())
  if (!signedHeaders.includes('host'))
    return invalid("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
  const date = headerValue(request, 'x-amz-date')
  const signedAt = parseAmzDate(date)
  // AWS also accepts a request dated by `Date` alone; AWS's signers all send X-Amz-Date, and so
  // must a client of the local runtime.
  if (signedAt === undefined)
    return {
      errorType: 'IncompleteSignatureException',
      message: `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
    }
  if (!signedHeaders.includes('x-amz-date'))
    return invalid("'X-Amz-Date' or 'Date' must be a 'SignedHeader' in the AWS Authorization.")
  const [scopeDate = '', region = '', service = '', terminator = ''] = parsed.scope
  if (scopeDate !== date.slice(0, 8))
    return invalid(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${date.slice(
        0,
        8,
      )}', from '${date}'.`,
    )
  if (region !== iam.region)
    return invalid(`Credential should be scoped to a valid region, not '${region}'. `)
  if (service !== SERVICE)
    return invalid(`Credential should be scoped to correct service: '${SERVICE}'. `)
  if (terminator !== 'aws4_request' || parsed.scope.length !== 4)
    return invalid("Credential should be scoped with a valid terminator: 'aws4_request'. ")
  if (nowMs - signedAt > MAX_SKEW_MS)
    return invalid(
      `Signature expired: ${date} is now earlier than ${amzDate(nowMs - MAX_SKEW_MS)} (${amzDate(
        nowMs,
      )} - 5 min.)`,
    )
  if (signedAt - nowMs > MAX_SKEW_MS)
    return invalid(
      `Signature not yet current: ${date} is still later than ${amzDate(
        nowMs + MAX_SKEW_MS,
      )} (${amzDate(nowMs)} + 5 min.)`,
    )

  const canonical = canonicalRequest(request, signedHeaders)
  const scope = parsed.scope.join('/')
  const stringToSign = [ALGORITHM, date, scope, sha256Hex(canonical)].join('\n')
  const expected = Buffer.from(signatureOf(iam.secretAccessKey, parsed.scope, stringToSign))
  const given = Buffer.from(parsed.signature)
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined
  return invalid(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
      `The Canonical String for this request should have been\n'${canonical}'\n\n` +
      `The String-to-Sign should have been\n'${stringToSign}'\n`,
  )
}
