/** The parts of an SES send request that event publishing needs, from the request as SES receives it. */

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
