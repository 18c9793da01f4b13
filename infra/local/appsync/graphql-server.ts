/**
 * The local AppSync endpoint over HTTP: POST `/graphql` with AppSync's auth (API key, SigV4 for
 * IAM) and response shapes, GET `/graphql` the explorer, CORS as AppSync sends it, and
 * optionally the built web app at `/` (SPA fallback) with `GET /config.json`.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { loadProjectApi, type ApiDescription } from './api-description.js'
import { explorerPage } from './graphiql.js'
import { createGraphqlRuntime, type GraphqlRuntime } from './graphql-runtime.js'
import {
  corsHeaders,
  flatHeaders,
  forwardedFor,
  MAX_BODY_BYTES,
  parseRequest,
  readBody,
  refusal,
  sendJson,
  sendRefusal,
} from './http.js'
import { attachRealtimeEndpoint } from './realtime-endpoint.js'
import { authenticate, isRefusal, type IamConfig } from './request-auth.js'
import { serveStatic } from './static-files.js'

/** Where the GraphQL endpoint listens, as on AppSync. */
const GRAPHQL_PATH = '/graphql'

export interface GraphqlServerOptions {
  /** 0 = any free port. */
  port: number
  /** Default '127.0.0.1'. */
  host?: string
  apiKey: string
  iam: IamConfig
  /** `ctx.env`, from `toResolverEnv(settings, tableName)`. */
  resolverEnv: Record<string, string>
  /** The table data source's client. */
  dynamodb: DynamoDBClient
  /** Default: `<repo>/dist/resolvers`. */
  bundleDir?: string
  /** Built web app, served at `/`. */
  staticDir?: string
  /** Served as `GET /config.json`. */
  webConfig?: Record<string, unknown>
  /** Structured request log; never arguments. */
  log?: (entry: Record<string, unknown>) => void
  /** Serve this API instead of the project's (`infra/api.ts` and the built bundles); for tests. */
  api?: ApiDescription
  /** Real-time endpoint: how often it sends `ka` (default 60 s, as AppSync); tests shorten it. */
  keepAliveIntervalMs?: number
}

export interface GraphqlServer {
  /** `http://host:port/graphql` */
  url: string
  /** `ws://host:port/graphql/realtime`, AppSync's real-time endpoint */
  realtimeUrl: string
  port: number
  consumedCapacity(): { readUnits: number; writeUnits: number }
  requestCount(): number
  /** Subscriptions started on the real-time endpoint and not stopped. */
  subscriptionCount(): number
  close(): Promise<void>
}

/**
 * Starts the endpoint and resolves once it listens.
 * @throws when a bundle is missing or refused, the schema is invalid, or the port is taken.
 */
export async function startGraphqlServer(options: GraphqlServerOptions): Promise<GraphqlServer> {
  const log = options.log ?? (() => undefined)
  const api = options.api ?? (await loadProjectApi(options.bundleDir))
  const runtime = await createGraphqlRuntime({
    api,
    resolverEnv: options.resolverEnv,
    dynamodb: options.dynamodb,
    log,
  })
  let requests = 0

  const server = createServer((request, response) => {
    for (const [name, value] of Object.entries(corsHeaders)) response.setHeader(name, value)
    response.setHeader('x-amzn-RequestId', randomUUID())
    handle(request, response).catch((error: unknown) => {
      log({
        event: 'internal-error',
        error: error instanceof Error ? error.message : String(error),
        stack: error instanceof Error ? error.stack : undefined,
      })
      if (!response.headersSent)
        sendRefusal(response, 500, refusal('InternalFailure', 'An internal failure occurred.'))
      else response.destroy()
    })
  })

  const realtime = attachRealtimeEndpoint({
    server,
    graphqlPath: GRAPHQL_PATH,
    runtime,
    auth: options,
    keepAliveIntervalMs: options.keepAliveIntervalMs,
    log,
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://local')
    const method = request.method ?? 'GET'
    if (method === 'OPTIONS') {
      response.writeHead(200).end()
      return
    }
    if (pathname === GRAPHQL_PATH && method === 'POST')
      return handleGraphql(request, response, runtime)
    if (method !== 'GET' && method !== 'HEAD')
      return sendRefusal(
        response,
        405,
        refusal('MethodNotAllowedException', `${method} is not supported here`),
      )
    if (pathname === GRAPHQL_PATH || (pathname === '/' && !options.staticDir)) {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
      })
      response.end(method === 'HEAD' ? undefined : explorerPage(options.apiKey))
      return
    }
    if (pathname === '/config.json' && options.webConfig)
      return sendJson(response, 200, options.webConfig)
    if (
      options.staticDir &&
      (await serveStatic(
        options.staticDir,
        pathname,
        response,
        method === 'HEAD',
        request.headers['accept-encoding'],
      ))
    )
      return
    sendRefusal(response, 404, refusal('NotFoundException', `Nothing is served at ${pathname}`))
  }

  async function handleGraphql(
    request: IncomingMessage,
    response: ServerResponse,
    graphql: GraphqlRuntime,
  ): Promise<void> {
    const started = process.hrtime.bigint()
    requests += 1
    const body = await readBody(request)
    const entry: Record<string, unknown> = { event: 'request' }
    const logged = (status: number) =>
      log({ ...entry, status, durationMs: Number(process.hrtime.bigint() - started) / 1e6 })
    const finish = (status: number, payload: unknown) => {
      sendJson(response, status, payload)
      logged(status)
    }
    const refuse = (status: number, payload: ReturnType<typeof refusal>) => {
      sendRefusal(response, status, payload)
      logged(status)
    }
    if (body === undefined)
      return refuse(
        413,
        refusal('PayloadTooLargeException', `The request body exceeds ${MAX_BODY_BYTES} bytes`),
      )
    const caller = authenticate(
      {
        method: 'POST',
        url: request.url ?? '/graphql',
        headers: request.headers,
        headersDistinct: request.headersDistinct,
        body,
        sourceIp: forwardedFor(request)
          .split(',')
          .map((entry) => entry.trim()),
      },
      options,
    )
    if (isRefusal(caller)) {
      entry.errorTypes = caller.body.errors.map((error) => error.errorType)
      return refuse(caller.status, caller.body)
    }
    entry.auth = caller.mode
    const parsed = parseRequest(body)
    if (!parsed)
      return refuse(
        400,
        refusal(
          'BadRequestException',
          'The body must be JSON with a "query" string and optional "variables" object and "operationName"',
        ),
      )
    entry.operationName = parsed.operationName ?? undefined
    const result = await graphql.execute(parsed, caller, flatHeaders(request))
    if (result.errors) entry.errorTypes = result.errors.map((error) => error.errorType ?? 'GraphQL')
    finish(200, result)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port, address } = server.address() as AddressInfo
  const host = address.includes(':') ? `[${address}]` : address
  return {
    url: `http://${host}:${port}${GRAPHQL_PATH}`,
    realtimeUrl: `ws://${host}:${port}${realtime.path}`,
    port,
    consumedCapacity: () => runtime.consumedCapacity(),
    requestCount: () => requests,
    subscriptionCount: () => runtime.subscriptions.activeCount(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        realtime.close()
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

export { createGraphqlRuntime } from './graphql-runtime.js'
export type { GraphqlRequest, GraphqlResponseBody, GraphqlRuntime } from './graphql-runtime.js'
export type { Caller } from './request-auth.js'
