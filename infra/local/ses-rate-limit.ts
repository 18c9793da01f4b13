/**
 * An optional rate limiter in front of local SES: at most `maxPerSecond` send calls per epoch
 * second pass; the others are answered as SES answers a sender over its maximum send rate (SES v1:
 * HTTP 400, `<Code>Throttling</Code>`, "Maximum sending rate exceeded."; SES v2: HTTP 429
 * `TooManyRequestsException`). Everything else (the inbox, `GET /store`) passes unchanged.
 * `npm start` puts it in front when LOCAL_SES_MAX_SEND_RATE is set; the burst bench always does.
 */
import type { IncomingMessage } from 'node:http'
import { sesV1Error, startSesInterceptor, type SesVerdict } from './ses-interceptor.js'

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

const THROTTLED: Record<'v1' | 'v2', SesVerdict> = {
  v1: sesV1Error(400, 'Throttling', 'Maximum sending rate exceeded.', 'local-rate-limit'),
  v2: {
    status: 429,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'TooManyRequestsException' },
    body: JSON.stringify({ message: 'Maximum sending rate exceeded.' }),
  },
}

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
  let second = -1
  let inSecond = 0
  let accepted = 0
  let throttled = 0
  let lastAccepted: number | undefined

  const proxy = await startSesInterceptor(upstream, (req, body) => {
    const send = isSend(req, body.toString('utf8'))
    if (!send) return 'forward'
    const current = Math.floor(now() / 1000)
    if (current !== second) {
      second = current
      inSecond = 0
    }
    if (inSecond >= maxPerSecond) {
      throttled += 1
      return THROTTLED[send]
    }
    inSecond += 1
    accepted += 1
    lastAccepted = now()
    return 'forward'
  })
  return {
    url: proxy.url,
    accepted: () => accepted,
    throttled: () => throttled,
    lastAcceptedAt: () => lastAccepted,
    stop: proxy.stop,
  }
}
