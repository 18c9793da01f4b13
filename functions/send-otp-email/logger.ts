import { Logger } from '@aws-lambda-powertools/logger'

/**
 * A JSON logger for the email Lambda. Log lines name sessions, outcomes and SES ids: never a code
 * or a full address (see `maskAddress`).
 */
export function createLogger(): Logger {
  return new Logger({ serviceName: 'send-otp-email' })
}
