/**
 * The local stack for integration tests.
 *
 * ```ts
 * const local = useLocalStack({ email: false })        // beforeAll: start on free ports; afterAll: stop
 * it('answers', async () => {
 *   const body = await signedGraphql(local.stack(), 'query { otpPolicy { codeLength } }')
 *   expect(body.data).toEqual({ otpPolicy: { codeLength: 6 } })
 * })
 * ```
 *
 * - `useLocalStack(options?)` registers `beforeAll`/`afterAll` in the calling `describe` (or file)
 *   and returns `{ stack() }`, the running {@link LocalStack}. Every port is free-picked, output is
 *   quiet, and the environment is ignored (`env: {}`): settings are the defaults plus
 *   `options.settings`, the database is in memory. Pass any {@link LocalStackOptions} to change that.
 * - `graphql(stack, query, variables?, { apiKey?, from?, headers? })` POSTs with the stack's API key
 *   (or the one given; `null` sends none) and returns the parsed body. `from` binds the connection
 *   to a loopback source address (`'127.0.0.2'`, `'127.0.0.3'`, ...: all this machine), so a test
 *   acts as different clients; `headers` adds request headers (a spoofed `x-forwarded-for`).
 * - `graphqlResponse(...)`: the same, plus the HTTP status, for tests of refusals.
 * - `signedGraphql(stack, query, variables?, { credentials? })` signs the call with SigV4 (service
 *   `appsync`) using the stack's local IAM credentials, as a backend would; `credentials`
 *   overrides some of them (to prove a bad signature is refused).
 */
import { request as httpRequest } from 'node:http'
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import { afterAll, beforeAll } from 'vitest'
import {
  startLocalStack,
  type LocalIamCredentials,
  type LocalStack,
  type LocalStackOptions,
} from '../../infra/local/stack.js'

export type { LocalStack, LocalStackOptions }

/** One entry of a GraphQL response's `errors`, with AppSync's extra fields. */
export interface GraphqlError {
  message: string
  errorType?: string
  /** AppSync sends `null` when there is none; typed loosely so tests can read fields directly. */
  errorInfo?: Record<string, unknown>
  data?: unknown
  path?: (string | number)[]
  locations?: { line: number; column: number }[]
}

// `any` by default: tests read response shapes they just asked for (`body.data.requestOtp.sessionId`).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface GraphqlBody<TData = any> {
  data?: TData | null
  errors?: GraphqlError[]
  /** AppSync's body for a refused request (401/403) has these instead of `data`. */
  errorType?: string
  message?: string
}

export type Variables = Record<string, unknown>

/** What {@link useLocalStack} returns: `stack()` is the running stack inside a test. */
export interface LocalStackHandle {
  stack(): LocalStack
}

/**
 * Starts a local stack before the tests of the enclosing suite and stops it after them, even when
 * a test fails. Call at the top of a `describe` or file.
 */
export function useLocalStack(options: LocalStackOptions = {}): LocalStackHandle {
  let stack: LocalStack | undefined
  beforeAll(async () => {
    stack = await startLocalStack({
      env: {},
      quiet: true,
      ...options,
      ports: { api: 0, dynamodb: 0, ses: 0, ...options.ports },
    })
  })
  afterAll(async () => {
    await stack?.stop()
  })
  return {
    stack() {
      if (!stack)
        throw new Error(
          'the local stack is not running: call useLocalStack() outside a test, then use it inside',
        )
      return stack
    },
  }
}

/** How a test sends a GraphQL request: the API key, the client it acts as, extra headers. */
export interface RequestOptions {
  /** Default: the stack's key; `null` sends none. */
  apiKey?: string | null
  /** Loopback source address to connect from (`'127.0.0.2'`); default: the system's choice. */
  from?: string
  /** Extra request headers, such as a client's own `x-forwarded-for`. */
  headers?: Record<string, string>
}

/** POSTs a GraphQL request with an API key and returns the parsed body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function graphql<TData = any>(
  stack: LocalStack,
  query: string,
  variables: Variables = {},
  options: RequestOptions = {},
): Promise<GraphqlBody<TData>> {
  return (await graphqlResponse<TData>(stack, query, variables, options)).body
}

/** Like {@link graphql}, with the HTTP status. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function graphqlResponse<TData = any>(
  stack: LocalStack,
  query: string,
  variables: Variables = {},
  options: RequestOptions = {},
): Promise<{ status: number; body: GraphqlBody<TData> }> {
  const apiKey = options.apiKey === undefined ? stack.apiKey : options.apiKey
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers }
  if (apiKey !== null) headers['x-api-key'] = apiKey
  const body = JSON.stringify({ query, variables })
  if (options.from === undefined) {
    const response = await fetch(stack.urls.api, { method: 'POST', headers, body })
    return { status: response.status, body: (await response.json()) as GraphqlBody<TData> }
  }
  const { status, text } = await postFrom(options.from, stack.urls.api, headers, body)
  return { status, body: JSON.parse(text) as GraphqlBody<TData> }
}

/**
 * POSTs over IPv4 from the loopback address `from`: the server sees that address as the TCP peer,
 * as AppSync sees a client's. A fresh connection per request, so no other client's socket is reused.
 */
function postFrom(
  from: string,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; text: string }> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(target.port),
        path: target.pathname,
        method: 'POST',
        family: 4,
        localAddress: from,
        agent: false,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        response.on('error', reject)
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

/** POSTs a GraphQL request signed with SigV4 (service `appsync`) and returns the parsed body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function signedGraphql<TData = any>(
  stack: LocalStack,
  query: string,
  variables: Variables = {},
  options: { credentials?: Partial<LocalIamCredentials> } = {},
): Promise<GraphqlBody<TData>> {
  const iam = { ...stack.iam, ...options.credentials }
  const url = new URL(stack.urls.api)
  const body = JSON.stringify({ query, variables })
  const signer = new SignatureV4({
    service: 'appsync',
    region: iam.region,
    credentials: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey },
    sha256: Sha256,
  })
  const signed = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, 'content-type': 'application/json' },
    body,
  })
  const headers = Object.fromEntries(
    Object.entries(signed.headers).filter(([name]) => name !== 'host'),
  )
  const response = await fetch(url, { method: 'POST', headers, body })
  return (await response.json()) as GraphqlBody<TData>
}
