/** SES send requests as SES receives them (the parts event publishing needs), and SES's answers. */

export interface SendRequest {
  /** An SES v2 JSON request (`POST /v2/email/outbound-emails`); else a v1 Query request. */
  v2: boolean
  from: string
  /** Every recipient: To, Cc and Bcc. */
  to: string[]
  subject: string
  configurationSet: string | undefined
  /** Message tags by name. */
  tags: Record<string, string>
}

interface V2Body {
  FromEmailAddress?: string
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] }
  ConfigurationSetName?: string
  EmailTags?: { Name?: string; Value?: string }[]
  Content?: { Simple?: { Subject?: { Data?: string } } }
}

function readV1(body: string): SendRequest | undefined {
  const params = new URLSearchParams(body)
  if (params.get('Action') !== 'SendEmail') return undefined
  const members = (prefix: string) =>
    [...params.entries()].filter(([key]) => key.startsWith(prefix)).map(([, value]) => value)
  const tags: Record<string, string> = {}
  for (const [key, name] of params.entries()) {
    const match = /^Tags\.member\.(\d+)\.Name$/.exec(key)
    if (match) tags[name] = params.get(`Tags.member.${match[1]}.Value`) ?? ''
  }
  return {
    v2: false,
    from: params.get('Source') ?? '',
    to: [
      ...members('Destination.ToAddresses.member.'),
      ...members('Destination.CcAddresses.member.'),
      ...members('Destination.BccAddresses.member.'),
    ],
    subject: params.get('Message.Subject.Data') ?? '',
    configurationSet: params.get('ConfigurationSetName') ?? undefined,
    tags,
  }
}

function readV2(body: string): SendRequest | undefined {
  let parsed: V2Body
  try {
    parsed = JSON.parse(body) as V2Body
  } catch {
    return undefined
  }
  const destination = parsed.Destination ?? {}
  return {
    v2: true,
    from: parsed.FromEmailAddress ?? '',
    to: [
      ...(destination.ToAddresses ?? []),
      ...(destination.CcAddresses ?? []),
      ...(destination.BccAddresses ?? []),
    ],
    subject: parsed.Content?.Simple?.Subject?.Data ?? '',
    configurationSet: parsed.ConfigurationSetName,
    tags: Object.fromEntries(
      (parsed.EmailTags ?? []).map((tag) => [tag.Name ?? '', tag.Value ?? '']),
    ),
  }
}

/** The send a request makes (SES v1 `SendEmail` or v2 `SendEmail`), or undefined for any other request. */
export function readSendRequest(
  method: string,
  url: string,
  body: Buffer,
): SendRequest | undefined {
  if (method !== 'POST') return undefined
  const path = url.split('?')[0]
  if (path === '/') return readV1(body.toString('utf8'))
  if (path === '/v2/email/outbound-emails') return readV2(body.toString('utf8'))
  return undefined
}

/** The message id in SES's answer to a send. */
export function messageIdOf(body: Buffer, send: SendRequest): string | undefined {
  const text = body.toString('utf8')
  if (!send.v2) return /<MessageId>([^<]+)<\/MessageId>/.exec(text)?.[1]
  try {
    return (JSON.parse(text) as { MessageId?: string }).MessageId
  } catch {
    return undefined
  }
}

/**
 * SES's answer to a send through a configuration set that does not exist: v1's
 * `ConfigurationSetDoesNotExist` (the SDK's `ConfigurationSetDoesNotExistException`), v2's
 * `NotFoundException`.
 */
export function configurationSetMissing(send: SendRequest): {
  status: number
  headers: Record<string, string>
  body: string
} {
  const message = `Configuration set <${send.configurationSet ?? ''}> does not exist.`
  if (send.v2) {
    const headers = { 'content-type': 'application/json', 'x-amzn-errortype': 'NotFoundException' }
    return { status: 404, headers, body: JSON.stringify({ message }) }
  }
  return {
    status: 400,
    headers: { 'content-type': 'text/xml' },
    body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>ConfigurationSetDoesNotExist</Code><Message>${escapeXml(
      message,
    )}</Message></Error><RequestId>local-ses-events</RequestId></ErrorResponse>`,
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
