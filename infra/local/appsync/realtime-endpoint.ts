/**
 * AppSync's real-time WebSocket endpoint, on the HTTP server of the GraphQL endpoint at
 * `<GraphQL path>/realtime`: the URL AWS's clients derive for a host that is not an AppSync domain
 * (as for AppSync custom domains). Subprotocol `graphql-ws`; the connection is authenticated by its
 * header (see realtime-auth.ts), each `start` by its own. Messages: `connection_init` →
 * `connection_ack` with `connectionTimeoutMs`, then `ka` every keep-alive interval; `start` →
 * `start_ack` or `error`, then `data` for every publication that matches; `stop` → `complete`.
 * WebSocket framing is the `ws` library's.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer } from 'ws'
import type { GraphqlRuntime } from './graphql-runtime.js'
import { MAX_BODY_BYTES, parseRequest } from './http.js'
import {
  authenticateHeader,
  connectionHeader,
  flatAuthorization,
  isRealtimeRefusal,
} from './realtime-auth.js'
import type { AuthConfig } from './request-auth.js'

/** The subprotocol AppSync speaks. */
const PROTOCOL = 'graphql-ws'
/** What AppSync tells clients in `connection_ack`: the longest wait for a `ka` before giving up. */
export const CONNECTION_TIMEOUT_MS = 300_000
/** How often AppSync sends `ka` (aws-appsync-subscription-link expects one a minute). */
export const KEEP_ALIVE_INTERVAL_MS = 60_000
/** AppSync's default quota of subscriptions on one connection. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 100

export interface RealtimeEndpointOptions {
  server: Server
  /** The GraphQL endpoint's path; the real-time endpoint is `<graphqlPath>/realtime`. */
  graphqlPath: string
  runtime: GraphqlRuntime
  auth: AuthConfig
  /** Default {@link KEEP_ALIVE_INTERVAL_MS}; tests shorten it. */
  keepAliveIntervalMs?: number
  log: (entry: Record<string, unknown>) => void
}

export interface RealtimeEndpoint {
  path: string
  connectionCount(): number
  /** Drops every connection. */
  close(): void
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

/** Attaches the endpoint to `server`'s upgrade requests. */
export function attachRealtimeEndpoint(options: RealtimeEndpointOptions): RealtimeEndpoint {
  const path = `${options.graphqlPath}/realtime`
  const keepAliveMs = options.keepAliveIntervalMs ?? KEEP_ALIVE_INTERVAL_MS
  const { runtime, auth, log } = options
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_BODY_BYTES,
    handleProtocols: () => PROTOCOL,
  })

  options.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { pathname } = new URL(request.url ?? '/', 'http://local')
    const protocols = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim())
    if (pathname !== path) return refuseUpgrade(socket, 404, `Nothing is served at ${pathname}`)
    if (!protocols.includes(PROTOCOL))
      return refuseUpgrade(socket, 400, `The ${PROTOCOL} subprotocol is required`)
    sockets.handleUpgrade(request, socket, head, (ws) => onConnection(ws, request))
  })

  function onConnection(ws: WebSocket, request: IncomingMessage): void {
    const sourceIp = request.socket.remoteAddress ?? ''
    const connection = authenticateHeader(
      connectionHeader(request),
      { path: `${options.graphqlPath}/connect`, body: '{}' },
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
    const refuseConnection = () => {
      if (!isRealtimeRefusal(connection)) return false
      send({ type: 'connection_error', payload: { errors: [connection] } })
      ws.close(1000)
      return true
    }

    const onInit = () => {
      if (refuseConnection() || keepAlive) return
      send({ type: 'connection_ack', payload: { connectionTimeoutMs: CONNECTION_TIMEOUT_MS } })
      send({ type: 'ka' })
      keepAlive = setInterval(() => send({ type: 'ka' }), keepAliveMs)
    }

    const onStart = (message: Message) => {
      if (refuseConnection() || isRealtimeRefusal(connection)) return
      const { id, payload } = message
      const extensions = isObject(payload) ? payload.extensions : undefined
      const authorization = isObject(extensions) ? extensions.authorization : undefined
      const data = isObject(payload) ? payload.data : undefined
      if (
        typeof id !== 'string' ||
        id === '' ||
        typeof data !== 'string' ||
        !isObject(authorization)
      )
        return send(unknownOperation)
      const fail = (errorType: string, message: string) =>
        send({ type: 'error', id, payload: { errors: [{ errorType, message }] } })
      if (subscriptions.has(id))
        return fail('DuplicatedOperationError', `A subscription with id ${id} is already started`)
      if (subscriptions.size >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
        return fail(
          'MaxSubscriptionsReachedError',
          `Max number of ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions reached`,
        )
      const caller = authenticateHeader(
        authorization,
        { path: options.graphqlPath, body: data },
        auth,
        sourceIp,
      )
      if (isRealtimeRefusal(caller)) {
        log({ event: 'realtime-start', errorTypes: [caller.errorType] })
        return send({ type: 'error', id, payload: { errors: [caller] } })
      }
      const graphqlRequest = parseRequest(Buffer.from(data, 'utf8'))
      if (!graphqlRequest) return send(unknownOperation)
      const started = runtime.subscriptions.start(
        graphqlRequest,
        caller,
        flatAuthorization(authorization),
        (body) => send({ type: 'data', id, payload: body }),
      )
      if ('errors' in started) {
        log({
          event: 'realtime-start',
          errorTypes: started.errors.map((e) => e.errorType ?? 'GraphQL'),
        })
        return send({ type: 'error', id, payload: { errors: started.errors } })
      }
      subscriptions.set(id, started)
      log({
        event: 'realtime-start',
        auth: caller.mode,
        operationName: graphqlRequest.operationName ?? undefined,
      })
      send({ type: 'start_ack', id })
    }

    const onStop = (message: Message) => {
      if (typeof message.id !== 'string') return send(unknownOperation)
      subscriptions.get(message.id)?.stop()
      subscriptions.delete(message.id)
      send({ type: 'complete', id: message.id })
    }

    ws.on('message', (raw) => {
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

  return {
    path,
    connectionCount: () => sockets.clients.size,
    close: () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
    },
  }
}

/** Answers an upgrade request that is not a real-time connection with a plain HTTP refusal. */
function refuseUpgrade(socket: Duplex, status: 400 | 404, message: string): void {
  const body = JSON.stringify({
    errors: [{ errorType: status === 404 ? 'NotFoundException' : 'BadRequestException', message }],
  })
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
      'content-type: application/json; charset=UTF-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
