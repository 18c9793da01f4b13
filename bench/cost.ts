/**
 * Cost per million verifications on AWS, from what the run counted, at the prices in
 * bench/prices.json; beside it the blog post's design and Twilio Verify.
 */
import { readFile } from 'node:fs/promises'
import { round } from './stats.js'

interface Price {
  usd: number
  unit: string
  source: string
  status: string
}

export interface PriceBook {
  takenOn: string
  prices: Record<string, Price>
  referenceDesignAssumptions: {
    requestLambdaMemoryMb: number
    requestLambdaDurationMs: number
    streamInvocationsPerSession: number
    removeEventDurationMs: number
  }
}

/** Loads bench/prices.json. */
export async function loadPrices(): Promise<PriceBook> {
  return JSON.parse(await readFile(new URL('./prices.json', import.meta.url), 'utf8')) as PriceBook
}

/** What one verified flow used, as counted by the run. */
export interface FlowUsage {
  /** requestOtp + verifyOtp + the backend's redeemVerification, counted by the API server. */
  appsyncRequests: number
  /** Units the resolvers consumed (server tally), per flow. */
  readUnits: number
  writeUnits: number
}

/** What one mail cost on the email path, as counted by the run. */
export interface MailUsage {
  /** 1 / mean batch size seen by the stream consumer. */
  lambdaInvocations: number
  /** Mean handler duration per invocation, ms. */
  lambdaMsPerInvocation: number
  memoryMb: number
  /** The handler's own DynamoDB writes (claim, record sent) and reads, per mail. */
  readUnits: number
  writeUnits: number
  /** Mails SES sent per flow (S8: exactly 1). */
  sesMails: number
}

/** What the live delivery state (S14) adds to one flow on AWS (bench/time-to-delivered.ts). */
export interface RealtimeUsage {
  /** Real-time updates AppSync bills: WebSocket operations (connect, start, stop) and messages. */
  realtimeOperationsPerFlow: number
  /** Minutes the page holds its WebSocket: assumed, not measured. */
  connectionMinutesPerFlow: number
  /** The Lambdas' publishOtpDelivery mutations and the page's otpDelivery read. */
  appsyncRequestsPerFlow: number
}

export interface CostLine {
  item: string
  perFlow: number
  unit: string
  perMillionUsd: number
  priceStatus: string
}

export interface CostEstimate {
  design: string
  lines: CostLine[]
  totalPerMillionUsd: number
  notes: string[]
}

function line(book: PriceBook, key: string, item: string, perFlow: number): CostLine {
  const price = book.prices[key]
  if (!price) throw new Error(`bench/prices.json has no price ${key}`)
  return {
    item,
    perFlow: round(perFlow, 4),
    unit: price.unit,
    perMillionUsd: round(perFlow * price.usd * 1e6, 2),
    priceStatus: price.status,
  }
}

function estimate(design: string, lines: CostLine[], notes: string[]): CostEstimate {
  return {
    design,
    lines,
    totalPerMillionUsd: round(
      lines.reduce((sum, l) => sum + l.perMillionUsd, 0),
      2,
    ),
    notes,
  }
}

/** This product: AppSync (+ WAF on every request), DynamoDB on-demand, the stream Lambda on arm64, SES. */
export function priceThisDesign(
  book: PriceBook,
  flow: FlowUsage,
  mail: MailUsage | undefined,
  realtime?: RealtimeUsage,
): CostEstimate {
  const lines = [
    line(book, 'appsyncRequest', 'AppSync requests', flow.appsyncRequests),
    line(book, 'wafRequest', 'WAF inspections', flow.appsyncRequests),
    line(book, 'dynamodbWriteRequestUnit', 'DynamoDB writes (resolvers)', flow.writeUnits),
    line(book, 'dynamodbReadRequestUnit', 'DynamoDB reads (resolvers)', flow.readUnits),
  ]
  const notes = [
    'WAF web ACL and rules ($5 + $1 per rule a month) are fixed, not per flow; not included.',
  ]
  if (mail) {
    lines.push(
      line(book, 'lambdaRequest', 'Lambda invocations', mail.lambdaInvocations * mail.sesMails),
      line(
        book,
        'lambdaArmGbSecond',
        'Lambda GB-seconds',
        gbSeconds(
          mail.lambdaInvocations * mail.sesMails,
          mail.lambdaMsPerInvocation,
          mail.memoryMb,
        ),
      ),
      line(
        book,
        'dynamodbWriteRequestUnit',
        'DynamoDB writes (email Lambda)',
        mail.writeUnits * mail.sesMails,
      ),
      line(
        book,
        'dynamodbReadRequestUnit',
        'DynamoDB reads (email Lambda)',
        mail.readUnits * mail.sesMails,
      ),
      line(book, 'sesMail', 'SES mails', mail.sesMails),
    )
    notes.push(
      'Stream reads by the Lambda trigger are free; records dropped by the event filter are not billed as invocations.',
    )
  } else {
    notes.push('Email path not measured: Lambda and SES lines are missing from the total.')
  }
  if (realtime) {
    lines.push(...realtimeLines(book, realtime))
    notes.push(
      `Live delivery state: ${realtime.connectionMinutesPerFlow} connection minute(s) per flow is an assumption (the page's socket stays open while the person reads the mail); the SES event Lambda's invocations are not counted.`,
    )
  } else {
    notes.push('Live delivery state not measured: its real-time lines are missing from the total.')
  }
  return estimate('this design (AppSync JS + stream Lambda)', lines, notes)
}

/** The real-time side of the live delivery state: updates, connection minutes, publishes and the read. */
export function realtimeLines(book: PriceBook, usage: RealtimeUsage): CostLine[] {
  return [
    line(
      book,
      'appsyncRealtimeUpdate',
      'AppSync real-time updates (delivery state)',
      usage.realtimeOperationsPerFlow,
    ),
    line(
      book,
      'appsyncConnectionMinute',
      'AppSync connection minutes (delivery state)',
      usage.connectionMinutesPerFlow,
    ),
    line(
      book,
      'appsyncRequest',
      'AppSync requests (publishes, otpDelivery read)',
      usage.appsyncRequestsPerFlow,
    ),
  ]
}

/** The blog post's design: API Gateway REST, a Lambda per request, DynamoDB, a stream Lambda, SES. */
export function priceReferenceDesign(book: PriceBook, mail: MailUsage | undefined): CostEstimate {
  const a = book.referenceDesignAssumptions
  const sendMs = mail?.lambdaMsPerInvocation ?? a.requestLambdaDurationMs
  const streamGbSeconds =
    gbSeconds(1, sendMs, mail?.memoryMb ?? 256) +
    gbSeconds(a.streamInvocationsPerSession - 1, a.removeEventDurationMs, mail?.memoryMb ?? 256)
  const lines = [
    line(book, 'apiGatewayRestRequest', 'API Gateway REST requests', 2),
    line(
      book,
      'lambdaRequest',
      'Lambda invocations (generate, verify, stream)',
      2 + a.streamInvocationsPerSession,
    ),
    line(
      book,
      'lambdaArmGbSecond',
      'Lambda GB-seconds',
      gbSeconds(2, a.requestLambdaDurationMs, a.requestLambdaMemoryMb) + streamGbSeconds,
    ),
    line(book, 'dynamodbWriteRequestUnit', 'DynamoDB writes (PutItem)', 1),
    line(book, 'dynamodbReadRequestUnit', 'DynamoDB reads (eventually consistent)', 0.5),
    line(book, 'sesMail', 'SES mails', 1),
  ]
  return estimate('reference design (blog post)', lines, [
    `Assumed: request Lambdas ${a.requestLambdaMemoryMb} MB, ${a.requestLambdaDurationMs} ms; the stream Lambda as long as ours measured; arm64 prices for all.`,
    'It has no attempt limit, no single use, no rate limits and no proof for a backend: cheaper work, not the same product.',
  ])
}

/** Twilio Verify's published price per successful verification (the email channel is extra). */
export function priceTwilioVerify(book: PriceBook): CostEstimate {
  return estimate(
    'Twilio Verify',
    [line(book, 'twilioVerifySuccess', 'successful verifications', 1)],
    ['Email delivery goes through a SendGrid account, billed separately; not included.'],
  )
}

function gbSeconds(invocations: number, ms: number, memoryMb: number): number {
  return invocations * (ms / 1000) * (memoryMb / 1024)
}
