import { emailSender } from '../../infra/api.js'
import { defaultSettings, InvalidSettingError, validateSettings } from '../../infra/settings.js'

/** What the email Lambda needs to know, read once from its environment (see `toLambdaEnv`). */
export interface EmailSenderConfig {
  tableName: string
  /** The only address mail is sent from (validated by the settings module). */
  senderAddress: string
  appName: string
  codeInSubject: boolean
  codeTtlSeconds: number
  /**
   * Claims of a session's delivery that may reach SES before the session is marked FAILED: the
   * setting, capped at the invocations the event source grants a failing record (see
   * {@link effectiveDeliveryAttempts}).
   */
  maxDeliveryAttempts: number
  /** SQS queue for mail that cannot be sent; unset when the caller supplies another sink. */
  deadLetterQueueUrl?: string
}

/**
 * The setting, but never more than the event source's retries + 1. Past that Lambda discards the
 * record to its on-failure destination with stream metadata only, and the session would stay
 * RETRY forever; giving up one invocation earlier marks it FAILED and dead-letters its sessionId.
 */
export function effectiveDeliveryAttempts(
  setting: number,
  retryAttempts: number = emailSender.retryAttempts,
): number {
  return retryAttempts < 0 ? setting : Math.min(setting, retryAttempts + 1)
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]
  if (value === undefined || value.trim() === '')
    throw new InvalidSettingError(`${name} must be set`)
  return value
}

function integer(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value))
    throw new InvalidSettingError(`${name} must be an integer, got ${raw}`)
  return value
}

/**
 * Reads the Lambda environment: TABLE_NAME, SENDER_ADDRESS, APP_NAME, CODE_IN_SUBJECT,
 * CODE_TTL_SECONDS, MAX_DELIVERY_ATTEMPTS and DEAD_LETTER_QUEUE_URL. Values are validated by the same rules as the deploy-time settings.
 * @throws InvalidSettingError naming the first missing or malformed variable.
 */
export function readEmailSenderConfig(env: Record<string, string | undefined>): EmailSenderConfig {
  const codeInSubject = env.CODE_IN_SUBJECT ?? String(defaultSettings.codeInSubject)
  if (codeInSubject !== 'true' && codeInSubject !== 'false') {
    throw new InvalidSettingError(`CODE_IN_SUBJECT must be true or false, got ${codeInSubject}`)
  }
  const settings = validateSettings({
    ...defaultSettings,
    senderAddress: required(env, 'SENDER_ADDRESS'),
    appName: env.APP_NAME ?? defaultSettings.appName,
    codeInSubject: codeInSubject === 'true',
    codeTtlSeconds: integer(env, 'CODE_TTL_SECONDS', defaultSettings.codeTtlSeconds),
    maxDeliveryAttempts: integer(env, 'MAX_DELIVERY_ATTEMPTS', defaultSettings.maxDeliveryAttempts),
  })
  const deadLetterQueueUrl = env.DEAD_LETTER_QUEUE_URL?.trim()
  return {
    tableName: required(env, 'TABLE_NAME'),
    senderAddress: settings.senderAddress,
    appName: settings.appName,
    codeInSubject: settings.codeInSubject,
    codeTtlSeconds: settings.codeTtlSeconds,
    maxDeliveryAttempts: effectiveDeliveryAttempts(settings.maxDeliveryAttempts),
    ...(deadLetterQueueUrl ? { deadLetterQueueUrl } : {}),
  }
}
