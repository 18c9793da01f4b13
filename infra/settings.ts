/**
 * Deploy-time settings: one typed module, one set of defaults, validated once.
 *
 * The same values reach the resolvers as AppSync environment variables (`ctx.env`,
 * strings only, see {@link toResolverEnv}), the email Lambda as Lambda environment
 * variables (see {@link toLambdaEnv}), and the local stack. Override any of them with
 * the environment variable named in {@link settingVariables}.
 */

export interface OtpSettings {
  /** Digits in a code (4..10). */
  codeLength: number
  /** Seconds a code stays valid (NIST 800-63B ceiling: 600). */
  codeTtlSeconds: number
  /** Code checks a session may evaluate before it locks. */
  maxAttempts: number
  /** Seconds before the same address may request another code. */
  resendCooldownSeconds: number
  /** Length of the send-quota window, seconds. */
  sendWindowSeconds: number
  /** Codes one address may request per send window. */
  maxSendsPerWindow: number
  /** Length of the failed-check window, seconds. */
  failureWindowSeconds: number
  /** Failed checks one address may accumulate per failure window, across sessions. */
  maxFailuresPerWindow: number
  /** Seconds a verification token may wait before a backend redeems it. */
  tokenTtlSeconds: number
  /** The From address of every email; the Lambda may send from this address only. */
  senderAddress: string
  /** Product name shown in the email. */
  appName: string
  /** Put the code in the email subject (convenient, but visible on lock screens). */
  codeInSubject: boolean
  /** Delivery attempts (claims that reached SES) before a session is marked FAILED. */
  maxDeliveryAttempts: number
}

export const defaultSettings: Readonly<OtpSettings> = Object.freeze({
  codeLength: 6,
  codeTtlSeconds: 600,
  maxAttempts: 5,
  resendCooldownSeconds: 30,
  sendWindowSeconds: 900,
  maxSendsPerWindow: 5,
  failureWindowSeconds: 3600,
  maxFailuresPerWindow: 10,
  tokenTtlSeconds: 300,
  senderAddress: 'no-reply@example.com',
  appName: 'Example App',
  codeInSubject: false,
  maxDeliveryAttempts: 5,
})

/** The environment variable that overrides each setting (for `npm start`, tests and `cdk synth`). */
export const settingVariables: Readonly<Record<keyof OtpSettings, string>> = Object.freeze({
  codeLength: 'OTP_CODE_LENGTH',
  codeTtlSeconds: 'OTP_CODE_TTL_SECONDS',
  maxAttempts: 'OTP_MAX_ATTEMPTS',
  resendCooldownSeconds: 'OTP_RESEND_COOLDOWN_SECONDS',
  sendWindowSeconds: 'OTP_SEND_WINDOW_SECONDS',
  maxSendsPerWindow: 'OTP_MAX_SENDS_PER_WINDOW',
  failureWindowSeconds: 'OTP_FAILURE_WINDOW_SECONDS',
  maxFailuresPerWindow: 'OTP_MAX_FAILURES_PER_WINDOW',
  tokenTtlSeconds: 'OTP_TOKEN_TTL_SECONDS',
  senderAddress: 'OTP_SENDER_ADDRESS',
  appName: 'OTP_APP_NAME',
  codeInSubject: 'OTP_CODE_IN_SUBJECT',
  maxDeliveryAttempts: 'OTP_MAX_DELIVERY_ATTEMPTS',
})

/** Thrown when a setting is out of range; the message names the setting and its variable. */
export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError'
}

type IntegerSetting = {
  [K in keyof OtpSettings]: OtpSettings[K] extends number ? K : never
}[keyof OtpSettings]

const integerRanges: Readonly<Record<IntegerSetting, readonly [number, number]>> = {
  codeLength: [4, 10],
  codeTtlSeconds: [1, 3600],
  maxAttempts: [1, 20],
  resendCooldownSeconds: [0, 3600],
  sendWindowSeconds: [1, 86_400],
  maxSendsPerWindow: [1, 1000],
  failureWindowSeconds: [1, 86_400],
  maxFailuresPerWindow: [1, 10_000],
  tokenTtlSeconds: [1, 3600],
  maxDeliveryAttempts: [1, 20],
}

// Deliberately strict: one @, no spaces, no CR/LF, a dot in the domain. The sender goes into a header.
const senderPattern = /^[^\s@<>"(),;:\\]+@[^\s@<>"(),;:\\]+\.[^\s@<>"(),;:\\]+$/

/**
 * Validates a complete settings object.
 * @throws InvalidSettingError naming the first setting that is out of range.
 */
export function validateSettings(settings: OtpSettings): OtpSettings {
  for (const [key, [min, max]] of Object.entries(integerRanges) as [
    IntegerSetting,
    readonly [number, number],
  ][]) {
    const value = settings[key]
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidSettingError(
        `${key} (${settingVariables[key]}) must be an integer from ${min} to ${max}, got ${String(
          value,
        )}`,
      )
    }
  }
  if (settings.sendWindowSeconds < settings.resendCooldownSeconds) {
    throw new InvalidSettingError(
      'sendWindowSeconds must not be shorter than resendCooldownSeconds',
    )
  }
  if (!senderPattern.test(settings.senderAddress) || settings.senderAddress.length > 254) {
    throw new InvalidSettingError(
      `senderAddress (${settingVariables.senderAddress}) must be a plain address such as no-reply@example.com`,
    )
  }
  if (
    settings.appName.trim() === '' ||
    settings.appName.length > 80 ||
    /[\r\n]/.test(settings.appName)
  ) {
    throw new InvalidSettingError(
      `appName (${settingVariables.appName}) must be 1 to 80 characters on one line`,
    )
  }
  return settings
}

function parseSetting<K extends keyof OtpSettings>(key: K, raw: string): OtpSettings[K] {
  const fallback = defaultSettings[key]
  if (typeof fallback === 'boolean') {
    if (raw !== 'true' && raw !== 'false') {
      throw new InvalidSettingError(
        `${key} (${settingVariables[key]}) must be true or false, got ${raw}`,
      )
    }
    return (raw === 'true') as OtpSettings[K]
  }
  if (typeof fallback === 'number') {
    const value = Number(raw)
    if (raw.trim() === '' || !Number.isFinite(value)) {
      throw new InvalidSettingError(
        `${key} (${settingVariables[key]}) must be a number, got ${raw}`,
      )
    }
    return value as OtpSettings[K]
  }
  return raw as OtpSettings[K]
}

/**
 * Builds the settings from defaults, then environment variables, then explicit overrides.
 * @throws InvalidSettingError when a value is malformed or out of range.
 */
export function loadSettings(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<OtpSettings> = {},
): OtpSettings {
  const settings: OtpSettings = { ...defaultSettings }
  for (const key of Object.keys(settingVariables) as (keyof OtpSettings)[]) {
    const raw = env[settingVariables[key]]
    if (raw !== undefined) Object.assign(settings, { [key]: parseSetting(key, raw) })
  }
  return validateSettings({ ...settings, ...overrides })
}

/** The AppSync environment variables (`ctx.env`) the resolvers read. Values are strings, as in AppSync. */
export function toResolverEnv(settings: OtpSettings, tableName: string): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    CODE_LENGTH: String(settings.codeLength),
    CODE_TTL_SECONDS: String(settings.codeTtlSeconds),
    MAX_ATTEMPTS: String(settings.maxAttempts),
    RESEND_COOLDOWN_SECONDS: String(settings.resendCooldownSeconds),
    SEND_WINDOW_SECONDS: String(settings.sendWindowSeconds),
    MAX_SENDS_PER_WINDOW: String(settings.maxSendsPerWindow),
    FAILURE_WINDOW_SECONDS: String(settings.failureWindowSeconds),
    MAX_FAILURES_PER_WINDOW: String(settings.maxFailuresPerWindow),
    TOKEN_TTL_SECONDS: String(settings.tokenTtlSeconds),
  }
}

/** The email Lambda's environment variables. */
export function toLambdaEnv(settings: OtpSettings, tableName: string): Record<string, string> {
  return {
    TABLE_NAME: tableName,
    SENDER_ADDRESS: settings.senderAddress,
    APP_NAME: settings.appName,
    CODE_IN_SUBJECT: String(settings.codeInSubject),
    CODE_TTL_SECONDS: String(settings.codeTtlSeconds),
    MAX_DELIVERY_ATTEMPTS: String(settings.maxDeliveryAttempts),
  }
}
