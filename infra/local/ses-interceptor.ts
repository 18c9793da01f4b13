/**
 * A small HTTP proxy in front of local SES that decides, per request, whether to pass it on
 * unchanged, answer it itself, or drop the connection. The local send-rate limiter
 * (`ses-rate-limit.ts`) and the tests' fault proxy (`test/support/ses-fault-proxy.ts`) are both
 * one `decide` function over it.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'

/** Pass the request on, drop its connection without an answer, or answer it as given. */
export type SesVerdict =
  | 'forward'
  | 'drop'
  | { status: number; headers: Record<string, string>; body: string }

export interface SesInterceptor {
  url: string
  stop(): Promise<void>
}

/** SES v1's (Query API) error document. */
export function sesV1Error(
  status: number,
  code: string,
  message: string,
  requestId: string,
): SesVerdict {
  const type = status >= 500 ? 'Receiver' : 'Sender'
  return {
    status,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  }
}

/** Starts the proxy on a free port of 127.0.0.1 in front of `upstream` (local SES's URL). */
export async function startSesInterceptor(
  upstream: string,
  decide: (req: IncomingMessage, body: Buffer) => SesVerdict,
): Promise<SesInterceptor> {
  const target = new URL(upstream)
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const proxied = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    proxied.on('error', () => res.destroy())
    proxied.end(body)
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const verdict = decide(req, body)
      if (verdict === 'forward') return forward(req, res, body)
      if (verdict === 'drop') return void req.socket.destroy()
      res.writeHead(verdict.status, verdict.headers).end(verdict.body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
