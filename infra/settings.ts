/**
 * Deploy-time settings: loaded once from defaults and `OTP_*` environment variables, validated,
 * and handed to each part in the form it reads. What each setting is (key, variable, default,
 * accepted values, receivers) is declared once, in `settings/declaration.ts`; this module derives
 * everything else from that list, so it never names a setting itself.
 *
 * Resolvers get `ctx.env` ({@link toResolverEnv}), the email Lambda its environment
 * ({@link toLambdaEnv}): both keyed by the setting's variable, the same name that overrides it.
 * Both read it back with `decodeSettings` (`settings/decode.ts`). The web app gets
 * {@link toWebConfig} in its `config.json`.
 */
import { accepts, describeAccepted, wellFormed } from './settings/accepts.js'
import { decodeSetting, receives } from './settings/decode.js'
import {
  settingDeclarations,
  type OtpSettings,
  type Receiver,
  type SettingDeclaration,
  type SettingKey,
  type SettingsFor,
} from './settings/declaration.js'

export { describeAccepted, settingDeclarations }
export type { OtpSettings, Receiver, SettingDeclaration, SettingKey, SettingsFor }

/** Thrown when a setting is missing, malformed or out of range; the message names its variable. */
export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError'
}

type SettingValue = OtpSettings[SettingKey]

/** Every setting key, in declaration order. */
export const settingKeys = Object.keys(settingDeclarations) as SettingKey[]

/** The declaration of one setting. */
export function declarationOf(key: SettingKey): SettingDeclaration {
  return settingDeclarations[key]
}

/** The keys of the settings `receiver` gets, in declaration order. */
export function settingKeysFor(receiver: Receiver): SettingKey[] {
  return settingKeys.filter((key) => receives(declarationOf(key), receiver))
}

export const defaultSettings: Readonly<OtpSettings> = Object.freeze(
  Object.fromEntries(settingKeys.map((key) => [key, declarationOf(key).default])) as OtpSettings,
)

function refuse(key: SettingKey, value: unknown): InvalidSettingError {
  const declared = declarationOf(key)
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return new InvalidSettingError(
    `${key} (${declared.variable}) must be ${describeAccepted(declared)}, got ${shown}`,
  )
}

/** Checks every setting present in `settings` against its declaration. */
function check<S extends Partial<OtpSettings>>(settings: S): S {
  for (const key of settingKeys) {
    if (key in settings && !accepts(declarationOf(key), settings[key], settings)) {
      throw refuse(key, settings[key])
    }
  }
  return settings
}

/**
 * Validates a complete settings object against the declarations.
 * @throws InvalidSettingError naming the first setting that is out of range.
 */
export function validateSettings(settings: OtpSettings): OtpSettings {
  return check(settings)
}

/** The value of one variable; refuses text that is not the declared type (`2.5`, `yes`). */
function parseVariable(key: SettingKey, raw: string): SettingValue {
  const declared = declarationOf(key)
  if (!wellFormed(declared, raw)) throw refuse(key, raw)
  return decodeSetting(declared, raw) as SettingValue
}

/**
 * Builds the settings from defaults, then environment variables, then explicit overrides.
 * @throws InvalidSettingError when a value is malformed or out of range.
 */
export function loadSettings(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<OtpSettings> = {},
): OtpSettings {
  const settings: Record<string, SettingValue> = { ...defaultSettings }
  for (const key of settingKeys) {
    const raw = env[declarationOf(key).variable]
    if (raw !== undefined) settings[key] = parseVariable(key, raw)
  }
  return validateSettings({ ...(settings as OtpSettings), ...overrides })
}

/**
 * The settings a part receives, read back from its environment and checked as at load time:
 * the email Lambda's view of `toLambdaEnv`. Every variable must be present (deploys write all).
 * @throws InvalidSettingError naming the first missing, malformed or out-of-range variable.
 */
export function readSettings<R extends Receiver>(
  env: Record<string, string | undefined>,
  receiver: R,
): SettingsFor<R> {
  const settings: Partial<Record<SettingKey, SettingValue>> = {}
  for (const key of settingKeysFor(receiver)) {
    const { variable } = declarationOf(key)
    const raw = env[variable]
    if (raw === undefined) throw new InvalidSettingError(`${key} (${variable}) must be set`)
    settings[key] = parseVariable(key, raw)
  }
  return check(settings as Partial<OtpSettings>) as SettingsFor<R>
}

/** The settings `receiver` gets, as typed values under their keys. */
export function pickSettings<R extends Receiver>(
  settings: OtpSettings,
  receiver: R,
): SettingsFor<R> {
  return Object.fromEntries(
    settingKeysFor(receiver).map((key) => [key, settings[key]]),
  ) as SettingsFor<R>
}

/** The settings `receiver` gets, as environment variables: each under its variable, as a string. */
export function encodeSettings(settings: OtpSettings, receiver: Receiver): Record<string, string> {
  return Object.fromEntries(
    settingKeysFor(receiver).map((key) => [declarationOf(key).variable, String(settings[key])]),
  )
}

/** The AppSync environment variables (`ctx.env`) the resolvers read: the table and their settings. */
export function toResolverEnv(settings: OtpSettings, tableName: string): Record<string, string> {
  return { TABLE_NAME: tableName, ...encodeSettings(settings, 'resolvers') }
}

/** The email Lambda's environment variables: the table and its settings (the stack adds the DLQ). */
export function toLambdaEnv(settings: OtpSettings, tableName: string): Record<string, string> {
  return { TABLE_NAME: tableName, ...encodeSettings(settings, 'emailLambda') }
}

/** What the web app's `config.json` carries besides the API URL and key. */
export function toWebConfig(settings: OtpSettings): SettingsFor<'web'> {
  return pickSettings(settings, 'web')
}
