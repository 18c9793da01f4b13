/**
 * An optional rate limiter in front of local SES: at most `maxPerSecond` send calls per epoch
 * second pass; the others are answered as SES answers a sender over its maximum send rate (SES v1:
 * HTTP 400, `<Code>Throttling</Code>`, "Maximum sending rate exceeded."; SES v2: HTTP 429
 * `TooManyRequestsException`). Everything else (the inbox, `GET /store`) passes unchanged.
 * `npm start` puts it in front when LOCAL_SES_MAX_SEND_RATE is set; the burst bench always does.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SesRateLimit {
  /** The SES endpoint to send through. */
  url: string
  /** Send calls passed on to local SES so far. */
  accepted(): number
  /** Send calls refused with a throttling answer so far. */
  throttled(): number
  /** When (epoch ms) the last send call was passed on; undefined before the first. */
  lastAcceptedAt(): number | undefined
  stop(): Promise<void>
}

const V1_THROTTLING =
  '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Maximum sending rate exceeded.</Message></Error><RequestId>local-rate-limit</RequestId></ErrorResponse>'

function isSend(req: IncomingMessage, body: string): 'v1' | 'v2' | undefined {
  if (req.method !== 'POST') return undefined
  if (req.url?.startsWith('/v2/email/outbound-emails')) return 'v2'
  const action = new URLSearchParams(body).get('Action')
  return req.url === '/' && (action === 'SendEmail' || action === 'SendRawEmail') ? 'v1' : undefined
}

/** Starts the limiter on a free port of 127.0.0.1 in front of `upstream` (local SES's URL). */
export async function startSesRateLimit(
  upstream: string,
  /** Infinity passes every send (and still counts them). */
  maxPerSecond: number,
  now: () => number = Date.now,
): Promise<SesRateLimit> {
  const target = new URL(upstream)
  let second = -1
  let inSecond = 0
  let accepted = 0
  let throttled = 0
  let lastAccepted: number | undefined

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
      const send = isSend(req, body.toString('utf8'))
      if (send) {
        const current = Math.floor(now() / 1000)
        if (current !== second) {
          second = current
          inSecond = 0
        }
        if (inSecond >= maxPerSecond) {
          throttled += 1
          if (send === 'v1') res.writeHead(400, { 'content-type': 'text/xml' }).end(V1_THROTTLING)
          else
            res
              .writeHead(429, {
                'content-type': 'application/json',
                'x-amzn-errortype': 'TooManyRequestsException',
              })
              .end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }))
          return
        }
        inSecond += 1
        accepted += 1
        lastAccepted = now()
      }
      forward(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    throttled: () => throttled,
    lastAcceptedAt: () => lastAccepted,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
