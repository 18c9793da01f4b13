/**
 * AppSync's real-time WebSocket endpoint, on the HTTP server of the GraphQL endpoint at
 * `<GraphQL path>/realtime`: the URL AWS's clients derive for a host that is not an AppSync domain
 * (as for AppSync custom domains). An upgrade must ask for the `graphql-ws` subprotocol; the server
 * answers with it alone. Each connection is served by realtime-connection.ts; WebSocket framing is
 * the `ws` library's.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import type { GraphqlRuntime } from './graphql-runtime.js'
import { MAX_BODY_BYTES } from './http.js'
import { serveConnection } from './realtime-connection.js'
import type { AuthConfig } from './request-auth.js'

export { CONNECTION_TIMEOUT_MS, MAX_SUBSCRIPTIONS_PER_CONNECTION } from './realtime-connection.js'

/** The subprotocol AppSync speaks. */
const PROTOCOL = 'graphql-ws'
/** How often AppSync sends `ka` (aws-appsync-subscription-link expects one a minute). */
export const KEEP_ALIVE_INTERVAL_MS = 60_000

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
  /** Drops every connection. */
  close(): void
}

/** Attaches the endpoint to `server`'s upgrade requests. */
export function attachRealtimeEndpoint(options: RealtimeEndpointOptions): RealtimeEndpoint {
  const path = `${options.graphqlPath}/realtime`
  const context = {
    graphqlPath: options.graphqlPath,
    runtime: options.runtime,
    auth: options.auth,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? KEEP_ALIVE_INTERVAL_MS,
    log: options.log,
  }
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
    sockets.handleUpgrade(request, socket, head, (ws) => serveConnection(ws, request, context))
  })

  return {
    path,
    close: () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
    },
  }
}

/** Answers an upgrade request that is not a real-time connection with a plain HTTP refusal. */
function refuseUpgrade(socket: Duplex, status: 400 | 404, message: string): void {
  const errorType = status === 404 ? 'NotFoundException' : 'BadRequestException'
  const body = JSON.stringify({ errors: [{ errorType, message }] })
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Bad Request'}\r\n` +
      'content-type: application/json; charset=UTF-8\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
