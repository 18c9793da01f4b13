/** HTTP plumbing of the example server: JSON bodies in and out, and the page's security headers. */
import type { IncomingMessage, ServerResponse } from 'node:http'

const MAX_BODY_BYTES = 16 * 1024

/** The page may load its own files and talk to this server and the OTP API; nothing else. */
export function securityHeaders(apiOrigin: string): Record<string, string> {
  const policy = [
    "default-src 'self'",
    `connect-src 'self' ${apiOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]
  return {
    'content-security-policy': policy.join('; '),
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  }
}

/** An answer of the API: a status, a JSON body, and a session cookie to set. */
export type Reply = { status: number; body?: unknown; cookie?: string }

/** The body of a refusal: a code the page turns into words. */
export const error = (code: string) => ({ error: code })

/** The request body is not what the API accepts: answered 400. */
export class BadRequestError extends Error {
  override name = 'BadRequestError'
}

/** The request body as a JSON object of at most 16 KiB. */
export async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0
  const chunks: Buffer[] = []
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new BadRequestError('body too large')
    chunks.push(chunk)
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>
  } catch {
    // Not JSON: refused below.
  }
  throw new BadRequestError('the body is not a JSON object')
}

export function send(response: ServerResponse, reply: Reply): void {
  response.statusCode = reply.status
  response.setHeader('cache-control', 'no-store')
  if (reply.cookie) response.setHeader('set-cookie', reply.cookie)
  if (reply.body === undefined) return void response.end()
  response.setHeader('content-type', 'application/json; charset=utf-8')
  response.end(JSON.stringify(reply.body))
}
