/**
 * Authentication on AppSync's real-time endpoint. The connection carries a `header` object: in the
 * `header` query parameter (base64 of its JSON; AWS's documented handshake) or in a subprotocol
 * `header-<base64url of its JSON>` next to `graphql-ws` (what aws-appsync-subscription-link 3.1.5
 * and later send, keeping credentials out of URLs). Each `start` carries its own object in
 * `payload.extensions.authorization`. Either holds `host` and `x-api-key`, or the headers of a SigV4
 * signature: over `POST <GraphQL path>/connect` with the body `{}` for the connection, over
 * `POST <GraphQL path>` with the `data` string as body for a `start`, as AWS documents.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { authenticate, isRefusal, type AuthConfig, type Caller } from './request-auth.js'

/** A refused connection or start, in AppSync's real-time error shape. */
export interface RealtimeRefusal {
  errorType: string
  message: string
  errorCode: number
}

const unauthorized: RealtimeRefusal = {
  errorType: 'UnauthorizedException',
  message: 'You are not authorized to make this call.',
  errorCode: 401,
}

/** The subprotocol prefix that carries the connection header. */
const HEADER_PROTOCOL_PREFIX = 'header-'

function decodeJsonObject(encoded: string): Record<string, unknown> | undefined {
  try {
    // Node's base64 decoder reads both alphabets (standard and URL-safe) and missing padding.
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** The connection's header object, from its subprotocols or its `header` query parameter. */
export function connectionHeader(request: IncomingMessage): Record<string, unknown> | undefined {
  const protocols = (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
  const carried = protocols.find((p) => p.startsWith(HEADER_PROTOCOL_PREFIX))
  if (carried) return decodeJsonObject(carried.slice(HEADER_PROTOCOL_PREFIX.length))
  // Read by hand: URLSearchParams would turn a `+` of an unencoded base64 value into a space.
  const raw = /[?&]header=([^&#]*)/.exec(request.url ?? '')?.[1]
  if (raw === undefined) return undefined
  try {
    return decodeJsonObject(decodeURIComponent(raw))
  } catch {
    return undefined
  }
}

/** An authorization object as HTTP headers: lower-case names, string values only. */
function asHeaders(authorization: Record<string, unknown>): IncomingHttpHeaders {
  const headers: IncomingHttpHeaders = {}
  for (const [name, value] of Object.entries(authorization))
    if (typeof value === 'string') headers[name.toLowerCase()] = value
  return headers
}

/**
 * Authenticates a header object as the HTTP endpoint would authenticate a POST of `body` to
 * `path` carrying those headers.
 */
export function authenticateHeader(
  authorization: Record<string, unknown> | undefined,
  signed: { path: string; body: string },
  config: AuthConfig,
  sourceIp: string[],
): Caller | RealtimeRefusal {
  if (!authorization) return unauthorized
  const caller = authenticate(
    {
      method: 'POST',
      url: signed.path,
      headers: asHeaders(authorization),
      body: Buffer.from(signed.body, 'utf8'),
      sourceIp,
    },
    config,
  )
  if (!isRefusal(caller)) return caller
  const [error = unauthorized] = caller.body.errors
  return { errorType: error.errorType, message: error.message, errorCode: caller.status }
}

/** True when authentication refused. */
export function isRealtimeRefusal(value: Caller | RealtimeRefusal): value is RealtimeRefusal {
  return 'errorCode' in value
}

/** Header values as strings, for `ctx.request.headers`. */
export function flatAuthorization(authorization: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(authorization).flatMap(([name, value]) =>
      typeof value === 'string' ? [[name.toLowerCase(), value]] : [],
    ),
  )
}
