/**
 * The canonical request and the signature of AWS Signature Version 4, computed from a request as
 * received: the path and query re-encoded as SigV4 prescribes, each signed header's values trimmed,
 * runs of spaces collapsed and repeated values joined by commas, and the payload hash taken from the
 * body itself.
 */
import { createHash, createHmac } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

export interface SignedRequest {
  method: string
  /** Path and query string, as received. */
  url: string
  headers: IncomingHttpHeaders
  /** Each header's values as received, for a header sent more than once (Node's `headersDistinct`). */
  headersDistinct?: Record<string, string[] | undefined>
  body: Buffer
}

/** RFC 3986 encoding as SigV4 defines it: everything but unreserved characters, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

// Non-S3 services encode each path segment of the (already encoded) path once more.
function canonicalPath(path: string): string {
  return path === '' ? '/' : path.split('/').map(uriEncode).join('/')
}

function canonicalQuery(search: string): string {
  const pairs = search
    .replace(/^\?/, '')
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [name = '', ...value] = pair.split('=')
      const decode = (text: string) => {
        try {
          return decodeURIComponent(text.replace(/\+/g, '%20'))
        } catch {
          return text // not percent-encoding AWS could decode either; the signature will not match
        }
      }
      return [uriEncode(decode(name)), uriEncode(decode(value.join('=')))] as const
    })
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

export function headerValue(request: SignedRequest, name: string): string {
  const values =
    request.headersDistinct?.[name] ??
    ((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))(
      request.headers[name],
    )
  return values.map((value) => value.trim().replace(/\s+/g, ' ')).join(',')
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

/** The canonical request over exactly `signedHeaders` (lower-case, in the client's order). */
export function canonicalRequest(request: SignedRequest, signedHeaders: string[]): string {
  const url = new URL(request.url, 'http://local')
  return [
    request.method,
    canonicalPath(url.pathname),
    canonicalQuery(url.search),
    ...signedHeaders.map((name) => `${name}:${headerValue(request, name)}`),
    '',
    signedHeaders.join(';'),
    sha256Hex(request.body),
  ].join('\n')
}

/** The hex signature of `stringToSign` with the key derived from the secret and the scope. */
export function signatureOf(
  secretAccessKey: string,
  scope: string[],
  stringToSign: string,
): string {
  const signingKey = scope.reduce<string | Buffer>(
    (key, part) => hmac(key, part),
    `AWS4${secretAccessKey}`,
  )
  return hmac(signingKey, stringToSign).toString('hex')
}
