/**
 * A stand-in for the SQS endpoint, for tests of the dead-letter queue writes. There is no local
 * SQS in the stack, and the point is to make the real writer (`sqsDeadLetterSink` over the AWS
 * SDK's SQSClient) meet an endpoint that fails. It speaks the part of SQS's AWS JSON 1.0 protocol
 * that `SendMessage` uses: it keeps every request, and answers either as SQS accepts a message
 * (with the body's MD5, which the SDK checks) or with a chosen failure. A test tool.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * `accept`: 200 with a message id; `internal-error`: 500 `InternalFailure` (the SDK retries it);
 * `access-denied`: 400 `AccessDenied`, as when the role lacks `sqs:SendMessage`;
 * `no-such-queue`: 400 `QueueDoesNotExist`.
 */
export type SqsAnswer = 'accept' | 'internal-error' | 'access-denied' | 'no-such-queue'

export interface SqsRequest {
  /** The operation, from `X-Amz-Target` (`AmazonSQS.SendMessage`). */
  target: string | undefined
  headers: IncomingHttpHeaders
  /** The raw body as sent. */
  body: string
}

export interface SqsEndpoint {
  /** The endpoint's origin, `http://127.0.0.1:<port>`. */
  url: string
  /** A queue URL on this endpoint, shaped as SQS's. */
  queueUrl(name: string): string
  /** How the next requests are answered (initially `accept`). */
  answer(next: SqsAnswer): void
  /** Every request received so far, failed ones included. */
  requests(): SqsRequest[]
  /** The bodies of the messages accepted so far. */
  accepted(): string[]
  stop(): Promise<void>
}

const failures: Record<
  Exclude<SqsAnswer, 'accept'>,
  { status: number; type: string; query: string }
> = {
  'internal-error': { status: 500, type: 'InternalFailure', query: 'InternalFailure;Receiver' },
  'access-denied': {
    status: 400,
    type: 'com.amazon.coral.service#AccessDeniedException',
    query: 'AccessDenied;Sender',
  },
  'no-such-queue': {
    status: 400,
    type: 'com.amazonaws.sqs#QueueDoesNotExist',
    query: 'AWS.SimpleQueueService.NonExistentQueue;Sender',
  },
}

/** Starts the endpoint on a free port of 127.0.0.1. */
export async function startSqsEndpoint(): Promise<SqsEndpoint> {
  let mode: SqsAnswer = 'accept'
  const received: SqsRequest[] = []
  const accepted: string[] = []
  const json = { 'content-type': 'application/x-amz-json-1.0' }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const target = req.headers['x-amz-target']
      received.push({
        target: typeof target === 'string' ? target : undefined,
        headers: req.headers,
        body,
      })
      if (mode !== 'accept') {
        const { status, type, query } = failures[mode]
        res
          .writeHead(status, { ...json, 'x-amzn-query-error': query })
          .end(JSON.stringify({ __type: type, message: `stand-in SQS answers ${mode}` }))
        return
      }
      const input = JSON.parse(body) as { MessageBody?: string }
      if (target !== 'AmazonSQS.SendMessage' || typeof input.MessageBody !== 'string') {
        res
          .writeHead(400, { ...json, 'x-amzn-query-error': 'InvalidAction;Sender' })
          .end(JSON.stringify({ __type: 'InvalidAction', message: 'only SendMessage is served' }))
        return
      }
      accepted.push(input.MessageBody)
      const md5 = createHash('md5').update(input.MessageBody, 'utf8').digest('hex')
      res
        .writeHead(200, json)
        .end(JSON.stringify({ MessageId: randomUUID(), MD5OfMessageBody: md5 }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    queueUrl: (name) => `${url}/000000000000/${name}`,
    answer: (next) => {
      mode = next
    },
    requests: () => [...received],
    accepted: () => [...accepted],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
