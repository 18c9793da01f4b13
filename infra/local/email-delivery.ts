/**
 * The email path of the local stack in one call: the email Lambda's handler over DynamoDB Local
 * and local SES, fed by the stream consumer with the event source settings CDK deploys.
 */
import type { Logger } from '@aws-lambda-powertools/logger'
import { readEmailSenderConfig } from '../../functions/send-otp-email/config.js'
import type { DeadLetterSink } from '../../functions/send-otp-email/dead-letter.js'
import { createDependencies } from '../../functions/send-otp-email/dependencies.js'
import { createHandler } from '../../functions/send-otp-email/handler.js'
import type { RetryPolicy } from '../../functions/send-otp-email/retry.js'
import { emailSender } from '../api.js'
import { toLambdaEnv, type OtpSettings } from '../settings.js'
import { jsonLinesSink } from './dead-letter-file.js'
import {
  startStreamConsumer,
  type StreamConsumer,
  type StreamFailureRecord,
} from './stream-consumer.js'

export interface LocalEmailDeliveryOptions {
  /** DynamoDB Local endpoint, e.g. `http://127.0.0.1:8000`. */
  dynamodbEndpoint: string
  /** Local SES URL (the SES endpoint), e.g. `http://127.0.0.1:8005`. */
  sesUrl: string
  tableName: string
  settings: OtpSettings
  /** JSON-lines file for undeliverable mail and discarded stream records. Default `.local/dead-letters.jsonl`. */
  deadLetterFile?: string
  /** Replace the file for undeliverable mail (tests). */
  deadLetter?: DeadLetterSink
  /** Replace the file for discarded stream records (tests). */
  onFailure?: (record: StreamFailureRecord) => void | Promise<void>
  /** The handler's logger (default: JSON lines on stdout). */
  logger?: Logger
  /** Consumer diagnostics. */
  log?: (message: string, fields?: Record<string, unknown>) => void
  pollIntervalMs?: number
  /** The handler's in-invocation SES retries (default: the deployed policy, bounded by the invocation's time). */
  retry?: Partial<RetryPolicy>
}

const LOCAL_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
}

/**
 * Starts delivering the code of every new session: resolves once the stream consumer knows the
 * shards. `stop()` ends polling, waits for the batch in flight and closes the clients.
 */
export async function startLocalEmailDelivery(
  options: LocalEmailDeliveryOptions,
): Promise<StreamConsumer> {
  const deadLetters = jsonLinesSink(options.deadLetterFile)
  const deps = createDependencies({
    config: readEmailSenderConfig(toLambdaEnv(options.settings, options.tableName)),
    dynamodb: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    ses: { ...LOCAL_CLIENT, endpoint: options.sesUrl },
    deadLetter: options.deadLetter ?? deadLetters,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  })
  const consumer = await startStreamConsumer({
    ...emailSender,
    client: { ...LOCAL_CLIENT, endpoint: options.dynamodbEndpoint },
    tableName: options.tableName,
    handler: createHandler(deps),
    onFailure: options.onFailure ?? deadLetters,
    ...(options.log ? { log: options.log } : {}),
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
  })
  return {
    drained: () => consumer.drained(),
    async stop() {
      await consumer.stop()
      deps.dynamodb.destroy()
      deps.ses.destroy()
    },
  }
}
