/**
 * What one mail costs on the email path: the email Lambda's handler (functions/send-otp-email)
 * fed by the local stream consumer with the deployed event source settings, exactly as
 * infra/local/email-delivery.ts wires them, but with the handler wrapped to count invocations,
 * batch sizes and durations, and its DynamoDB client metered. Runs on a table of its own.
 */
import { Logger } from '@aws-lambda-powertools/logger'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { readEmailSenderConfig } from '../functions/send-otp-email/config.js'
import { createDependencies } from '../functions/send-otp-email/dependencies.js'
import { createHandler } from '../functions/send-otp-email/handler.js'
import { emailSender } from '../infra/api.js'
import { localEmailSenderEnv } from '../infra/local/email-delivery.js'
import { readInbox, startSesLocal } from '../infra/local/ses-local.js'
import { startStreamConsumer, type StreamHandler } from '../infra/local/stream-consumer.js'
import { ensureTable } from '../infra/local/table.js'
import { toResolverEnv, type OtpSettings } from '../infra/settings.js'
import { readPolicy } from '../resolvers/lib/policy.js'
import { meterCapacity } from './capacity.js'
import type { MailUsage } from './cost.js'
import { requestSession } from './raw-flow.js'
import { round, summarize, type LatencySummary } from './stats.js'

export interface MailPathOptions {
  /** DynamoDB Local endpoint and a client on it (for creating the table and the sessions). */
  dynamodbEndpoint: string
  client: DynamoDBClient
  tableName: string
  settings: OtpSettings
  /** Sessions to create, `spacingMs` apart (the same pattern as the time-to-inbox group). */
  count: number
  spacingMs: number
  emailFor(index: number): string
}

export interface MailPathReport {
  usage: MailUsage
  sessions: number
  mailsSent: number
  invocations: number
  batchSizes: Record<string, number>
  handlerMs: LatencySummary
  deadLetters: number
}

const LOCAL = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
}

/** Creates `count` sessions, waits until the consumer has handled them all, and reports the counts. */
export async function measureMailPath(options: MailPathOptions): Promise<MailPathReport> {
  await ensureTable(options.client, options.tableName)
  const ses = await startSesLocal({ port: 0 })
  const deadLetters: unknown[] = []
  const deps = createDependencies({
    config: readEmailSenderConfig(localEmailSenderEnv(options.settings, options.tableName)),
    dynamodb: { ...LOCAL, endpoint: options.dynamodbEndpoint },
    ses: { ...LOCAL, endpoint: ses.url },
    deadLetter: async (message) => void deadLetters.push(message),
    logger: new Logger({ serviceName: 'send-otp-email', logLevel: 'WARN' }),
  })
  const meter = meterCapacity(deps.dynamodb)
  const handler = createHandler(deps)
  const batches: number[] = []
  const durations: number[] = []
  const counted: StreamHandler = async (event, context) => {
    batches.push(event.Records.length)
    const started = performance.now()
    try {
      return await handler(event, context)
    } finally {
      durations.push(performance.now() - started)
    }
  }
  const consumer = await startStreamConsumer({
    ...emailSender,
    client: { ...LOCAL, endpoint: options.dynamodbEndpoint },
    tableName: options.tableName,
    handler: counted,
    onFailure: (record) => void deadLetters.push(record),
  })
  try {
    const policy = readPolicy(toResolverEnv(options.settings, options.tableName))
    for (let index = 0; index < options.count; index += 1) {
      await requestSession(options.client, policy, options.emailFor(index))
      await new Promise((resolve) => setTimeout(resolve, options.spacingMs))
    }
    await consumer.drained()
    const mailsSent = (await readInbox(ses.url)).length
    const units = meter.read()
    const meanMs = durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length)
    const histogram: Record<string, number> = {}
    for (const size of batches) histogram[size] = (histogram[size] ?? 0) + 1
    return {
      usage: {
        lambdaInvocations: round(batches.length / Math.max(1, mailsSent), 4),
        lambdaMsPerInvocation: round(meanMs, 2),
        memoryMb: emailSender.memoryMb,
        readUnits: units.readUnits / Math.max(1, mailsSent),
        writeUnits: units.writeUnits / Math.max(1, mailsSent),
        sesMails: mailsSent / options.count,
      },
      sessions: options.count,
      mailsSent,
      invocations: batches.length,
      batchSizes: histogram,
      handlerMs: summarize(durations),
      deadLetters: deadLetters.length,
    }
  } finally {
    await consumer.stop()
    deps.dynamodb.destroy()
    deps.ses.destroy()
    await ses.stop()
  }
}
