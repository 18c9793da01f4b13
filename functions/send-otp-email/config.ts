import { emailSender } from '../../infra/api.js'
import { InvalidSettingError, readSettings, type SettingsFor } from '../../infra/settings.js'

/**
 * What the email Lambda needs to know, read once from its environment (see `toLambdaEnv`): every
 * setting declared for `emailLambda` under its key, the table, the SES configuration set and the
 * dead-letter queue.
 */
export interface EmailSenderConfig extends SettingsFor<'emailLambda'> {
  tableName: string
  /** The SES configuration set every mail is sent through (its events feed the delivery state). */
  configurationSet: string
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

/**
 * Reads the Lambda environment: `TABLE_NAME`, `SES_CONFIGURATION_SET`, the `OTP_*` variables of
 * the email Lambda's settings (checked by the same rules as at deploy time) and
 * `DEAD_LETTER_QUEUE_URL`.
 * `maxDeliveryAttempts` is capped by {@link effectiveDeliveryAttempts}.
 * @throws InvalidSettingError naming the first missing or malformed variable.
 */
export function readEmailSenderConfig(env: Record<string, string | undefined>): EmailSenderConfig {
  const settings = readSettings(env, 'emailLambda')
  const tableName = env.TABLE_NAME
  if (!tableName?.trim()) throw new InvalidSettingError('TABLE_NAME must be set')
  const configurationSet = env.SES_CONFIGURATION_SET?.trim()
  if (!configurationSet) throw new InvalidSettingError('SES_CONFIGURATION_SET must be set')
  const deadLetterQueueUrl = env.DEAD_LETTER_QUEUE_URL?.trim()
  return {
    ...settings,
    tableName,
    configurationSet,
    maxDeliveryAttempts: effectiveDeliveryAttempts(settings.maxDeliveryAttempts),
    ...(deadLetterQueueUrl ? { deadLetterQueueUrl } : {}),
  }
}
