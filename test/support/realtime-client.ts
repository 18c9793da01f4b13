/**
 * A raw client of AppSync's real-time protocol for tests: open a WebSocket on the local stack's
 * real-time endpoint, send protocol messages, and wait for the ones that arrive, in order.
 *
 * ```ts
 * const connection = await connectRealtime(stack, { header: apiKeyHeader(stack) })
 * connection.send({ type: 'connection_init' })
 * await connection.next((m) => m.type === 'connection_ack')
 * connection.send(startMessage('1', SUBSCRIPTION, { sessionId }, apiKeyHeader(stack)))
 * ```
 */
import { Sha256 } from '@aws-crypto/sha256-js'
import { SignatureV4 } from '@smithy/signature-v4'
import { WebSocket } from 'ws'
import type { LocalIamCredentials, LocalStack } from '../../infra/local/stack.js'

export interface RealtimeMessage {
  type: string
  id?: string
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  payload?: any
}

export interface RealtimeConnection {
  socket: WebSocket
  send(message: unknown): void
  /** The next message not yet taken that `match` accepts (any, by default); rejects after `timeoutMs`. */
  next(match?: (message: RealtimeMessage) => boolean, timeoutMs?: number): Promise<RealtimeMessage>
  /** Every message received so far, taken or not. */
  received: RealtimeMessage[]
  /** Resolves with the close code once the socket is closed (by either side). */
  closed: Promise<number>
  close(): Promise<void>
}

/** The header of an API key connection or `start`, as AWS's clients send it. */
export function apiKeyHeader(stack: LocalStack, apiKey = stack.apiKey): Record<string, string> {
  return { host: new URL(stack.urls.api).host, 'x-api-key': apiKey }
}

/**
 * The header of an IAM connection or `start`: a SigV4 signature of `POST <path>` with `body` and
 * the headers aws-appsync-subscription-link signs (`/graphql/connect` with `{}` for a connection,
 * `/graphql` with the `data` string for a `start`).
 */
export async function iamHeader(
  stack: LocalStack,
  signed: { path: string; body: string },
  credentials: Partial<LocalIamCredentials> = {},
): Promise<Record<string, string>> {
  const iam = { ...stack.iam, ...credentials }
  const url = new URL(stack.urls.api)
  const signer = new SignatureV4({
    service: 'appsync',
    region: iam.region,
    credentials: { accessKeyId: iam.accessKeyId, secretAccessKey: iam.secretAccessKey },
    sha256: Sha256,
  })
  const request = await signer.sign({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: signed.path,
    query: {},
    headers: {
      accept: 'application/json, text/javascript',
      'content-encoding': 'amz-1.0',
      'content-type': 'application/json; charset=UTF-8',
      host: url.host,
    },
    body: signed.body,
  })
  return request.headers
}

/** A `start` message: the request as a JSON string in `data`, its authorization in `extensions`. */
export function startMessage(
  id: string,
  query: string,
  variables: Record<string, unknown>,
  authorization: Record<string, string>,
): RealtimeMessage {
  return {
    id,
    type: 'start',
    payload: { data: JSON.stringify({ query, variables }), extensions: { authorization } },
  }
}

export interface ConnectOptions {
  /** The connection header; none when omitted. */
  header?: Record<string, unknown>
  /** Where the header travels: the `header` query parameter (default) or a `header-` subprotocol. */
  via?: 'query' | 'protocol'
  /** Subprotocols; default `['graphql-ws']` (plus the header's when `via: 'protocol'`). */
  protocols?: string[]
  /** The URL to connect to; default the stack's real-time URL. */
  url?: string
}

/**
 * Opens a connection and resolves once it is open.
 * @throws when the server refuses the upgrade (the error's message holds the HTTP status).
 */
export function connectRealtime(
  stack: LocalStack,
  options: ConnectOptions = {},
): Promise<RealtimeConnection> {
  const encoded = (value: unknown, alphabet: 'base64' | 'base64url') =>
    Buffer.from(JSON.stringify(value)).toString(alphabet)
  const url = new URL(options.url ?? stack.urls.realtime)
  const protocols = [...(options.protocols ?? ['graphql-ws'])]
  if (options.header && options.via === 'protocol')
    protocols.push(`header-${encoded(options.header, 'base64url')}`)
  else if (options.header) {
    url.searchParams.set('header', encoded(options.header, 'base64'))
    url.searchParams.set('payload', encoded({}, 'base64'))
  }
  const socket = new WebSocket(url, protocols)
  const received: RealtimeMessage[] = []
  const unread: RealtimeMessage[] = []
  const waiters: { match: (m: RealtimeMessage) => boolean; resolve(m: RealtimeMessage): void }[] =
    []
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as RealtimeMessage
    received.push(message)
    const waiter = waiters.findIndex((w) => w.match(message))
    if (waiter >= 0) waiters.splice(waiter, 1)[0]?.resolve(message)
    else unread.push(message)
  })
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)))
  const connection: RealtimeConnection = {
    socket,
    received,
    closed,
    send: (message) => socket.send(JSON.stringify(message)),
    next: (match = () => true, timeoutMs = 5_000) => {
      const index = unread.findIndex(match)
      if (index >= 0) return Promise.resolve(unread.splice(index, 1)[0] as RealtimeMessage)
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (message: RealtimeMessage) => {
            clearTimeout(timer)
            resolve(message)
          },
        }
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1)
          reject(
            new Error(
              `no matching message within ${timeoutMs} ms; got ${JSON.stringify(received)}`,
            ),
          )
        }, timeoutMs)
        waiters.push(waiter)
      })
    },
    close: async () => {
      if (socket.readyState !== WebSocket.CLOSED) socket.close()
      await closed
    },
  }
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(connection))
    socket.once('unexpected-response', (request, response) => {
      reject(new Error(`HTTP ${response.statusCode}`))
      request.destroy()
    })
    socket.on('error', reject)
  })
}
