/**
 * A switchable fault in front of local SES, for tests of S9 (throttling, outage, refusals). Every
 * request is forwarded unchanged unless a fault is set; a fault applies to send calls (`POST /`
 * and `/v2/email/outbound-emails`), optionally only to one recipient. It counts send calls, so a
 * test can tell a refusal sent once from one retried. A test tool: nothing in the product or the
 * local stack uses it.
 */
import { sesV1Error, startSesInterceptor } from '../../infra/local/ses-interceptor.js'

/**
 * `throttle`: SES's 400 `Throttling` ("Maximum sending rate exceeded"); `unavailable`: 503
 * `ServiceUnavailable`; `down`: the connection is dropped without an answer, as when SES cannot be
 * reached. Refusals that asking again does not change, all 400: `reject` (`MessageRejected`),
 * `unverified-sender` (`MailFromDomainNotVerifiedException`), `invalid-address`
 * (`InvalidParameterValue`, what SES answers for a recipient it cannot parse) and `paused`
 * (`AccountSendingPausedException`).
 */
export type SesFault =
  | 'throttle'
  | 'unavailable'
  | 'down'
  | 'reject'
  | 'unverified-sender'
  | 'invalid-address'
  | 'paused'

export interface SesFaultProxy {
  url: string
  /**
   * Sets (or with null clears) the fault. With `recipient`, only sends to that address fail; with
   * `times`, the fault clears itself after that many faulty answers.
   */
  setFault(fault: SesFault | null, options?: { recipient?: string; times?: number }): void
  /** Send calls answered with a fault so far. */
  faultCount(): number
  /** Send calls forwarded to local SES so far. */
  forwardedCount(): number
  /** Send calls made so far, answered with a fault or forwarded. */
  sendCount(): number
  stop(): Promise<void>
}

const errorBodies: Record<
  Exclude<SesFault, 'down'>,
  { status: number; code: string; message: string }
> = {
  throttle: { status: 400, code: 'Throttling', message: 'Maximum sending rate exceeded.' },
  unavailable: { status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable.' },
  reject: { status: 400, code: 'MessageRejected', message: 'Email address is not verified.' },
  'unverified-sender': {
    status: 400,
    code: 'MailFromDomainNotVerifiedException',
    message: 'Amazon SES could not read the MX record of the MAIL FROM domain.',
  },
  'invalid-address': { status: 400, code: 'InvalidParameterValue', message: 'Illegal address' },
  paused: {
    status: 400,
    code: 'AccountSendingPausedException',
    message: 'Email sending is disabled for your entire Amazon SES account.',
  },
}

function recipientsOf(body: string): string[] {
  const params = new URLSearchParams(body)
  const v1 = [...params.entries()]
    .filter(([key]) => key.startsWith('Destination.ToAddresses.member.'))
    .map(([, v]) => v)
  if (v1.length > 0) return v1
  try {
    return (
      (JSON.parse(body) as { Destination?: { ToAddresses?: string[] } }).Destination?.ToAddresses ??
      []
    )
  } catch {
    return []
  }
}

/** Starts the proxy on a free port in front of `target` (the local SES URL). */
export async function startSesFaultProxy(target: string): Promise<SesFaultProxy> {
  let fault: SesFault | null = null
  let onlyFor: string | undefined
  let remaining = Infinity
  let faults = 0
  let forwarded = 0

  const proxy = await startSesInterceptor(target, (req, body) => {
    const isSend =
      req.method === 'POST' && (req.url === '/' || req.url?.startsWith('/v2/email/outbound'))
    const applies =
      isSend &&
      fault !== null &&
      (!onlyFor || recipientsOf(body.toString('utf8')).includes(onlyFor))
    if (!applies || fault === null) {
      if (isSend) forwarded += 1
      return 'forward'
    }
    faults += 1
    const current = fault
    remaining -= 1
    if (remaining <= 0) fault = null
    if (current === 'down') return 'drop'
    const { status, code, message } = errorBodies[current]
    return sesV1Error(status, code, message, 'local-fault')
  })
  return {
    url: proxy.url,
    setFault(next, options = {}) {
      fault = next
      onlyFor = options.recipient
      remaining = options.times ?? Infinity
    },
    faultCount: () => faults,
    forwardedCount: () => forwarded,
    sendCount: () => faults + forwarded,
    stop: proxy.stop,
  }
}
