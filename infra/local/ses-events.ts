/**
 * Local SES event publishing: a pass-through in front of local SES that, for every `SendEmail`
 * (v1 or v2) local SES accepts through a known configuration set, publishes the events SES would
 * publish (`ses-simulator.ts`) to the SES event handler, wrapped as EventBridge hands them to its
 * Lambda target, in order, retried twice on failure as Lambda retries an asynchronous invocation.
 * A send naming an unknown configuration set is refused as SES refuses it. Everything else passes
 * through unchanged (the inbox, `GET /store`).
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { EmailEventHandler } from '../../functions/record-email-event/handler.js'
import type { SesEvent } from '../../functions/record-email-event/ses-event.js'
import { mailOf, onEventBridge } from './ses-event-records.js'
import {
  configurationSetMissing,
  messageIdOf,
  readSendRequest,
  type SendRequest,
} from './ses-send-request.js'
import { simulatedEvents } from './ses-simulator.js'

export interface SesEventsOptions {
  /** Local SES, e.g. `http://127.0.0.1:8005`. */
  upstream: string
  /** The configuration sets that exist; their mail gets events. */
  configurationSets: readonly string[]
  /** The SES event handler (`createHandler` of functions/record-email-event). */
  handler: EmailEventHandler
  region: string
  /** When the mail to `success+delayed@simulator.amazonses.com` is delivered. Default 5 s. */
  delayedDeliveryMs?: number
  /** Failed deliveries of an event. Default: silent. */
  log?: (message: string, fields?: Record<string, unknown>) => void
}

export interface SesEvents {
  /** The SES endpoint to send through. */
  url: string
  /** Resolves once every event of every mail accepted so far has been handled (or given up on). */
  settled(): Promise<void>
  /** Stops accepting requests and drops the events not yet due. Idempotent. */
  stop(): Promise<void>
}

const RETRY_PAUSES_MS = [100, 200]

const readBody = (message: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    message.on('data', (chunk: Buffer) => chunks.push(chunk))
    message.on('end', () => resolve(Buffer.concat(chunks)))
    message.on('error', reject)
  })

/**
 * Starts the pass-through on a free port of 127.0.0.1 and resolves with its URL.
 */
export async function startSesEvents(options: SesEventsOptions): Promise<SesEvents> {
  const log = options.log ?? (() => undefined)
  const delayedDeliveryMs = options.delayedDeliveryMs ?? 5_000
  const timers = new Set<NodeJS.Timeout>()
  const chains = new Set<Promise<void>>()
  let stopped = false

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  const publish = async (event: SesEvent, configurationSet: string) => {
    const wrapped = onEventBridge(event, configurationSet, options.region)
    for (let attempt = 0; ; attempt += 1) {
      try {
        await options.handler(wrapped)
        return
      } catch (error) {
        const pause = RETRY_PAUSES_MS[attempt]
        if (pause === undefined || stopped) {
          log('ses event dropped', { eventType: event.eventType, error: (error as Error).name })
          return
        }
        await sleep(pause)
      }
    }
  }

  // One chain per message: its events reach the handler in the order SES would publish them.
  const schedule = (send: SendRequest, messageId: string, configurationSet: string) => {
    const acceptedAt = Date.now()
    const mail = mailOf(send, messageId, acceptedAt, options.region)
    const events = [
      { afterMs: 0, event: { eventType: 'Send', mail, send: {} } as SesEvent },
      ...send.to.flatMap((to) => simulatedEvents(mail, to, acceptedAt, delayedDeliveryMs)),
    ].sort((a, b) => a.afterMs - b.afterMs)
    const chain = (async () => {
      for (const { afterMs, event } of events) {
        await sleep(Math.max(0, acceptedAt + afterMs - Date.now()))
        if (stopped) return
        await publish(event, configurationSet)
      }
    })()
    chains.add(chain)
    void chain.finally(() => chains.delete(chain))
  }

  const server = createServer(async (req, res) => {
    const body = await readBody(req).catch(() => undefined)
    if (!body) return void res.destroy()
    const send = readSendRequest(req.method ?? 'GET', req.url ?? '/', body)
    const unknownSet =
      send?.configurationSet !== undefined &&
      !options.configurationSets.includes(send.configurationSet)
    if (send && unknownSet) {
      const refusal = configurationSetMissing(send)
      res.writeHead(refusal.status, refusal.headers)
      res.end(refusal.body)
      return
    }
    const upstream = new URL(req.url ?? '/', options.upstream)
    const forwarded = httpRequest(
      upstream,
      { method: req.method, headers: { ...req.headers, host: upstream.host } },
      async (answer) => {
        const answerBody = await readBody(answer).catch(() => undefined)
        if (!answerBody) return void res.destroy()
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        res.end(answerBody)
        const messageId =
          answer.statusCode === 200 && send ? messageIdOf(answerBody, send) : undefined
        if (messageId && send?.configurationSet && !stopped)
          schedule(send, messageId, send.configurationSet)
      },
    )
    forwarded.on('error', () => res.destroy())
    forwarded.end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  let closing: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    async settled() {
      while (chains.size > 0) await Promise.all([...chains])
    },
    stop() {
      closing ??= (async () => {
        stopped = true
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      })()
      return closing
    },
  }
}
