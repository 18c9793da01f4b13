/** HTTP plumbing of the endpoint: CORS headers, JSON replies, bounded bodies, request parsing. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { GraphqlRequest } from './graphql-types.js'

// AppSync accepts request bodies up to about 1 MB (its documented query and payload limits).
export const MAX_BODY_BYTES = 1_048_576

/**
 * What AppSync answers to any origin: the headers its clients send, and the response headers a
 * browser client may read (Amplify reads `x-amzn-ErrorType` to name a refusal).
 */
export const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers':
    'x-api-key, authorization, x-amz-date, x-amz-security-token, x-amz-content-sha256, x-amz-user-agent, content-type',
  'access-control-expose-headers':
    'x-amzn-RequestId,x-amzn-ErrorType,x-amz-user-agent,x-amzn-ErrorMessage,Date,x-amz-schema-version',
  'access-control-max-age': '86400',
}

/** Sends `body` as JSON with `status`. */
export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
  response.end(JSON.stringify(body))
}

/** A refusal body in AppSync's shape: `{ errors: [{ errorType, message }] }`. */
export function refusal(errorType: string, message: string) {
  return { errors: [{ errorType, message }] }
}

/**
 * Sends a refusal as AppSync does: the body in its shape, and its type in the `x-amzn-ErrorType`
 * header, which AWS's clients read to name the error.
 */
export function sendRefusal(
  response: ServerResponse,
  status: number,
  body: { errors: { errorType: string; message: string }[] },
): void {
  const errorType = body.errors[0]?.errorType
  if (errorType) response.setHeader('x-amzn-ErrorType', errorType)
  sendJson(response, status, body)
}

/** The whole body, or undefined once it exceeds {@link MAX_BODY_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** `{ query, variables, operationName }` from a JSON body, or undefined when it is not one. */
export function parseRequest(body: Buffer): GraphqlRequest | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Partial<GraphqlRequest> | null
    if (typeof parsed?.query !== 'string') return undefined
    const variables = parsed.variables ?? null
    if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
      return undefined
    return {
      query: parsed.query,
      variables,
      operationName: typeof parsed.operationName === 'string' ? parsed.operationName : null,
    }
  } catch {
    return undefined
  }
}

/** An address as AppSync's front end writes it: an IPv4-mapped IPv6 address as plain IPv4. */
function plainAddress(address: string | undefined): string {
  const value = address ?? ''
  return value.startsWith('::ffff:') && value.includes('.') ? value.slice(7) : value
}

/**
 * `x-forwarded-for` as AppSync hands it on: what the client sent (any number of entries, Node
 * joins repeated headers with `, `), then the address of the TCP peer that reached AppSync's
 * front end, then the front end's own address. Here the peer is the socket's remote address and
 * the front end is this server's address on that socket.
 */
export function forwardedFor(request: IncomingMessage): string {
  const sent = request.headers['x-forwarded-for']
  const entries = [
    ...(sent === undefined ? [] : [Array.isArray(sent) ? sent.join(', ') : sent]),
    plainAddress(request.socket.remoteAddress),
    plainAddress(request.socket.localAddress),
  ]
  return entries.join(', ')
}

/**
 * Request headers as one string per (lower-case) name, for `ctx.request.headers`, with
 * `x-forwarded-for` filled in as AppSync fills it ({@link forwardedFor}).
 */
export function flatHeaders(request: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value
  out['x-forwarded-for'] = forwardedFor(request)
  return out
}
