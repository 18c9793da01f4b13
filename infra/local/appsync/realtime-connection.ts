/**
 * One connection to the real-time endpoint: its header authenticates it (a refused one answers its
 * first message with `connection_error` and closes); `connection_init` is acknowledged and starts
 * the `ka` timer; each `start` is authenticated by its own authorization and registered with the
 * subscription hub until `stop` or the end of the connection.
 */
import type { IncomingMessage } from 'node:http'
import { WebSocket } from 'ws'
import type { GraphqlRuntime } from './graphql-runtime.js'
import { parseRequest, forwardedFor } from './http.js'
import {
  authenticateHeader,
  connectionHeader,
  flatAuthorization,
  isRealtimeRefusal,
} from './realtime-auth.js'
import type { AuthConfig } from './request-auth.js'

/** What AppSync tells clients in `connection_ack`: the longest wait for a `ka` before giving up. */
export const CONNECTION_TIMEOUT_MS = 300_000
/** AppSync's default quota of subscriptions on one connection. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100

export interface ConnectionContext {
  /** The GraphQL endpoint's path: signatures cover `<graphqlPath>/connect` and `<graphqlPath>`. */
  graphqlPath: string
  runtime: GraphqlRuntime
  auth: AuthConfig
  keepAliveIntervalMs: number
  log: (entry: Record<string, unknown>) => void
}

type Message = Record<string, unknown>

/** What AppSync answers to a message it cannot place (an unknown type, a `start` without data or authorization). */
const unknownOperation = {
  type: 'error',
  payload: {
    errors: [
      {
        errorType: 'UnsupportedOperation',
        message: 'unknown not supported through the realtime channel',
      },
    ],
  },
}

function isObject(value: unknown): value is Message {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** The parts of a well-formed `start`, or undefined. */
function readStart(
  message: Message,
): { id: string; data: string; authorization: Message } | undefined {
  const { id, payload } = message
  if (typeof id !== 'string' || id === '' || !isObject(payload)) return undefined
  const { data, extensions } = payload
  const authorization = isObject(extensions) ? extensions.authorization : undefined
  return typeof data === 'string' && isObject(authorization)
    ? { id, data, authorization }
    : undefined
}

/** Serves one accepted WebSocket until it closes. */
export function serveConnection(
  ws: WebSocket,
  request: IncomingMessage,
  context: ConnectionContext,
): void {
  const { runtime, auth, log, graphqlPath } = context
  // As on the HTTP endpoint: the upgrade request's x-forwarded-for, filled in as AppSync fills it.
  const sourceIp = forwardedFor(request)
    .split(',')
    .map((entry) => entry.trim())
  const connection = authenticateHeader(
    connectionHeader(request),
    { path: `${graphqlPath}/connect`, body: '{}' },
    auth,
    sourceIp,
  )
  const subscriptions = new Map<string, { stop(): void }>()
  let keepAlive: NodeJS.Timeout | undefined
  log({
    event: 'realtime-connect',
    auth: isRealtimeRefusal(connection) ? connection.errorType : connection.mode,
  })

  const send = (message: Message) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
  }

  const onInit = () => {
    if (keepAlive) return
    send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } })
    send({ type: 'ka' })
    keepAlive = setInterval(() => send({ type: 'ka' }), context.keepAliveIntervalMs)
  }

  const onStart = (message: Message) => {
    const start = readStart(message)
    if (!start) return send(unknownOperation)
    const { id, data, authorization } = start
    const fail = (errors: unknown[]) => {
      log({ event: 'realtime-start', errorTypes: errors.map((e) => (e as Message).errorType) })
      send({ type: 'error', id, payload: { errors } })
    }
    if (subscriptions.has(id))
      return fail([
        {
          errorType: 'DuplicatedOperationError',
          message: `A subscription with id ${id} is already started`,
        },
      ])
    if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
      return fail([
        {
          errorType: 'MaxSubscriptionsReachedError',
          message: `Max number of ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions reached`,
        },
      ])
    const caller = authenticateHeader(
      authorization,
      { path: graphqlPath, body: data },
      auth,
      sourceIp,
    )
    if (isRealtimeRefusal(caller)) return fail([caller])
    const graphqlRequest = parseRequest(Buffer.from(data, 'utf8'))
    if (!graphqlRequest) return send(unknownOperation)
    const started = runtime.subscriptions.start(
      graphqlRequest,
      caller,
      flatAuthorization(authorization),
      (body) => send({ type: 'data', id, payload: body }),
    )
    if ('errors' in started) return fail(started.errors)
    subscriptions.set(id, started)
    log({ event: 'realtime-start', auth: caller.mode, operationName: graphqlRequest.operationName })
    send({ type: 'start_ack', id })
  }

  const onStop = (message: Message) => {
    if (typeof message.id !== 'string') return send(unknownOperation)
    subscriptions.get(message.id)?.stop()
    subscriptions.delete(message.id)
    send({ type: 'complete', id: message.id })
  }

  ws.on('message', (raw) => {
    if (isRealtimeRefusal(connection)) {
      send({ type: 'connection_error', payload: { errors: [connection] } })
      return ws.close(1000)
    }
    let message: unknown
    try {
      message = JSON.parse(String(raw))
    } catch {
      return send(unknownOperation)
    }
    if (!isObject(message)) return send(unknownOperation)
    if (message.type === 'connection_init') return onInit()
    if (message.type === 'start') return onStart(message)
    if (message.type === 'stop') return onStop(message)
    send(unknownOperation)
  })
  // A frame over maxPayload or a broken frame: ws closes the connection (1009, 1002) after this.
  ws.on('error', (error) => log({ event: 'realtime-error', error: error.message }))
  ws.on('close', () => {
    clearInterval(keepAlive)
    for (const subscription of subscriptions.values()) subscription.stop()
    subscriptions.clear()
  })
}
