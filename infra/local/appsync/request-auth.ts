/**
 * Request-level authentication as AppSync does it for an API with the modes API_KEY and AWS_IAM
 * (whichever is the default): a SigV4 `Authorization` header selects IAM, otherwise the
 * `x-api-key` header must hold the key. Refusals use AppSync's status codes and bodies.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { verifySigV4, type IamConfig } from './sigv4.js'

export type { IamConfig } from './sigv4.js'

/** `ctx.identity` for an IAM caller. */
export interface IamIdentity {
  accountId: string
  cognitoIdentityPoolId: null
  cognitoIdentityId: null
  sourceIp: string[]
  username: string
  userArn: string
  cognitoIdentityAuthType: null
  cognitoIdentityAuthProvider: null
}

/** Who is calling, once authenticated. API-key callers have no identity (`ctx.identity` is null). */
export type Caller =
  | { mode: 'API_KEY'; identity: null }
  | { mode: 'AWS_IAM'; identity: IamIdentity }

/** An HTTP refusal in AppSync's shape. */
export interface AuthRefusal {
  status: 401 | 403
  body: { errors: { errorType: string; message: string }[] }
}

export interface AuthConfig {
  apiKey: string
  iam: IamConfig
}

/** The raw request, as far as authentication needs it. */
export interface AuthRequest {
  method: string
  /** Path and query string, as received. */
  url: string
  headers: IncomingHttpHeaders
  /** Each header's values as received (Node's `headersDistinct`), for the signature. */
  headersDistinct?: Record<string, string[] | undefined>
  body: Buffer
  /** The entries of `x-forwarded-for` as AppSync fills it in (the client's, then the front end's). */
  sourceIp: string[]
}

const unauthorized: AuthRefusal = {
  status: 401,
  body: {
    errors: [
      { errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' },
    ],
  },
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Authenticates one request: the caller, or the refusal to send. */
export function authenticate(
  request: AuthRequest,
  config: AuthConfig,
  nowMs = Date.now(),
): Caller | AuthRefusal {
  const authorization = header(request.headers, 'authorization')
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) {
    const refusal = verifySigV4(request, authorization, config.iam, nowMs)
    if (refusal) return { status: 403, body: { errors: [refusal] } }
    const accountId = config.iam.accountId ?? '000000000000'
    return {
      mode: 'AWS_IAM',
      identity: {
        accountId,
        cognitoIdentityPoolId: null,
        cognitoIdentityId: null,
        sourceIp: request.sourceIp,
        username: config.iam.accessKeyId,
        userArn: `arn:aws:iam::${accountId}:user/local-backend`,
        cognitoIdentityAuthType: null,
        cognitoIdentityAuthProvider: null,
      },
    }
  }
  const apiKey = header(request.headers, 'x-api-key')
  if (apiKey !== undefined && sameSecret(apiKey, config.apiKey))
    return { mode: 'API_KEY', identity: null }
  return unauthorized
}

/** True when `authenticate` refused the request. */
export function isRefusal(value: Caller | AuthRefusal): value is AuthRefusal {
  return 'status' in value
}
