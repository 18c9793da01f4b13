/**
 * Turns the environment a part receives back into typed settings. Shared by the resolvers
 * (bundled into APPSYNC_JS: no regular expressions, no throw) and the email Lambda, so both read
 * a setting by its declared key. It trusts its input: the values were validated when the settings
 * loaded, and the Lambda checks its environment with `readSettings` in `infra/settings.ts` first.
 */
import {
  settingDeclarations,
  type Receiver,
  type SettingDeclaration,
  type SettingKey,
  type SettingsFor,
} from './declaration'

/** The value of one variable as its declaration types it; a missing integer is `NaN`. */
export function decodeSetting(
  declared: SettingDeclaration,
  raw: string | undefined,
): number | boolean | string {
  if (declared.type === 'integer') return Number(raw ?? 'NaN')
  if (declared.type === 'boolean') return raw === 'true'
  return raw ?? ''
}

/** Whether `receiver` is one of the parts the declaration hands the setting to. */
export function receives(declared: SettingDeclaration, receiver: Receiver): boolean {
  return declared.receivers.indexOf(receiver) >= 0
}

/** The settings `receiver` gets, read from its environment by each setting's `variable`. */
export function decodeSettings<R extends Receiver>(
  env: Record<string, string | undefined>,
  receiver: R,
): SettingsFor<R> {
  const settings: Record<string, number | boolean | string> = {}
  for (const key of Object.keys(settingDeclarations)) {
    const declared: SettingDeclaration = settingDeclarations[key as SettingKey]
    if (receives(declared, receiver))
      settings[key] = decodeSetting(declared, env[declared.variable])
  }
  return settings as SettingsFor<R>
}
