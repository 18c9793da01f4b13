/**
 * Time to inbox: from the requestOtp response to the mail being visible in local SES
 * (`GET <ses>/store`), with the whole email path running (stream consumer, Lambda handler, SES).
 */
import { callGraphql, REQUEST_OTP, type ApiTarget } from './graphql-client.js'
import { summarize, type LatencySummary } from './stats.js'

export interface InboxOptions {
  api: ApiTarget
  /** Local SES base URL. */
  sesUrl: string
  /** Requests to send. */
  count: number
  /** Pause between starting two requests. */
  spacingMs: number
  /** How often the inbox is read; the figure is this coarse. */
  pollMs: number
  /** A request whose mail has not arrived after this long counts as lost. */
  timeoutMs: number
  /** Recipient for request `index`: unique, so a mail is matched by its address. */
  emailFor(index: number): string
}

export interface InboxReport {
  requests: number
  delivered: number
  /** Milliseconds from the requestOtp response to the first poll that saw the mail. */
  latency: LatencySummary
  /** Mails to these recipients seen more than once (S8 says never). */
  duplicates: number
  samples: number[]
}

interface StoredMail {
  destination?: { to?: string[] }
}

/** Sends `count` requests, `spacingMs` apart, and times each mail's arrival with one shared poller. */
export async function measureTimeToInbox(options: InboxOptions): Promise<InboxReport> {
  const since = Math.floor(Date.now() / 1000) - 1
  const seen = new Map<string, { at: number; copies: number }>()
  let polling = true
  const poller = (async () => {
    while (polling) {
      let emails: StoredMail[] = []
      try {
        const response = await fetch(`${options.sesUrl}/store?since=${since}`)
        emails = ((await response.json()) as { emails?: StoredMail[] }).emails ?? []
      } catch {
        // A failed read is just a missed poll; the next one catches up.
      }
      const at = performance.now()
      const copies = new Map<string, number>()
      for (const mail of emails) {
        for (const to of mail.destination?.to ?? []) copies.set(to, (copies.get(to) ?? 0) + 1)
      }
      for (const [to, count] of copies) seen.set(to, { at: seen.get(to)?.at ?? at, copies: count })
      await new Promise((resolve) => setTimeout(resolve, options.pollMs))
    }
  })()

  const arrival = async (email: string, answeredAt: number): Promise<number | undefined> => {
    const deadline = answeredAt + options.timeoutMs
    while (performance.now() < deadline) {
      const mail = seen.get(email)
      if (mail) return mail.at - answeredAt
      await new Promise((resolve) => setTimeout(resolve, options.pollMs / 2))
    }
    return undefined
  }

  try {
    const waits: Promise<number | undefined>[] = []
    for (let index = 0; index < options.count; index += 1) {
      const email = options.emailFor(index)
      await callGraphql(options.api, 'requestOtp', REQUEST_OTP, { email })
      waits.push(arrival(email, performance.now()))
      await new Promise((resolve) => setTimeout(resolve, options.spacingMs))
    }
    const samples = (await Promise.all(waits)).filter((ms): ms is number => ms !== undefined)
    // One more read after the last arrival, so a late duplicate has a chance to show.
    await new Promise((resolve) => setTimeout(resolve, 3 * options.pollMs))
    const duplicates = [...seen.values()].filter((mail) => mail.copies > 1).length
    return {
      requests: options.count,
      delivered: samples.length,
      latency: summarize(samples),
      duplicates,
      samples,
    }
  } finally {
    polling = false
    await poller.catch(() => undefined)
  }
}
