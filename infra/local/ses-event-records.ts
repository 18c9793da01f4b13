/** The records SES publishes for a mail, as EventBridge hands them to a Lambda target. */
import { randomUUID } from 'node:crypto'
import type {
  SesEvent,
  SesEventBridgeEvent,
  SesMail,
} from '../../functions/record-email-event/ses-event.js'
import { emailEvents } from '../api.js'
import type { SendRequest } from './ses-send-request.js'

/** The account the local stack pretends to be. */
const ACCOUNT = '000000000000'

/** The `mail` object SES writes into every event of a message. */
export function mailOf(
  send: SendRequest,
  messageId: string,
  acceptedAt: number,
  region: string,
): SesMail {
  const domain = send.from.slice(send.from.lastIndexOf('@') + 1)
  const headers = [
    { name: 'From', value: send.from },
    { name: 'To', value: send.to.join(', ') },
    { name: 'Subject', value: send.subject },
    { name: 'MIME-Version', value: '1.0' },
  ]
  const tags: Record<string, string[]> = {
    'ses:configuration-set': [send.configurationSet ?? ''],
    'ses:source-ip': ['127.0.0.1'],
    'ses:from-domain': [domain],
    'ses:caller-identity': ['local'],
  }
  for (const [name, value] of Object.entries(send.tags)) tags[name] = [value]
  return {
    timestamp: new Date(acceptedAt).toISOString(),
    source: send.from,
    sourceArn: `arn:aws:ses:${region}:${ACCOUNT}:identity/${domain}`,
    sendingAccountId: ACCOUNT,
    messageId,
    destination: send.to,
    headersTruncated: false,
    headers,
    commonHeaders: { from: [send.from], to: send.to, messageId, subject: send.subject },
    tags,
  }
}

/** An SES event in EventBridge's envelope: `source: aws.ses`, the detail-type of its event type. */
export function onEventBridge(
  event: SesEvent,
  configurationSet: string,
  region: string,
): SesEventBridgeEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': emailEvents.detailTypes[event.eventType],
    source: 'aws.ses',
    account: ACCOUNT,
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:ses:${region}:${ACCOUNT}:configuration-set/${configurationSet}`],
    detail: event,
  }
}
