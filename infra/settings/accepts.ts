/**
 * What each kind of setting accepts, in code and in words. Node only: the formats use regular
 * expressions, which APPSYNC_JS lacks, so no resolver imports this module.
 */
import {
  settingDeclarations,
  type OtpSettings,
  type SettingDeclaration,
  type SettingKey,
} from './declaration.js'

// Deliberately strict: one @, no spaces, no CR/LF, a dot in the domain. The sender goes into a header.
const emailAddressPattern = /^[^\s@<>"(),;:\\]+@[^\s@<>"(),;:\\]+\.[^\s@<>"(),;:\\]+$/

/** The string formats a declaration may name: what they accept, in code and in words. */
const stringFormats: Record<
  Extract<SettingDeclaration, { type: 'string' }>['format'],
  { accepts(value: string): boolean; words: string }
> = {
  line: { accepts: (value) => value.trim() !== '' && !/[\r\n]/.test(value), words: 'one line' },
  emailAddress: {
    accepts: (value) => emailAddressPattern.test(value),
    words: 'a plain email address',
  },
}

/** What a setting accepts, in words (error messages and the docs table). */
export function describeAccepted(declared: SettingDeclaration): string {
  switch (declared.type) {
    case 'integer': {
      const floor = declared.atLeast
        ? `, not below ${settingDeclarations[declared.atLeast as SettingKey].variable}`
        : ''
      return `an integer from ${declared.min} to ${declared.max}${floor}`
    }
    case 'boolean':
      return 'true or false'
    case 'string':
      return `${stringFormats[declared.format].words} of 1 to ${declared.maxLength} characters`
  }
}

/**
 * Whether `value` is one the declaration accepts; `settings` holds the others, for `atLeast`
 * (skipped when the other setting is not among them).
 */
export function accepts(
  declared: SettingDeclaration,
  value: unknown,
  settings: Partial<OtpSettings>,
): boolean {
  switch (declared.type) {
    case 'integer': {
      const floor = declared.atLeast ? settings[declared.atLeast as SettingKey] : undefined
      return (
        Number.isInteger(value) &&
        (value as number) >= declared.min &&
        (value as number) <= declared.max &&
        (typeof floor !== 'number' || (value as number) >= floor)
      )
    }
    case 'boolean':
      return typeof value === 'boolean'
    case 'string':
      return (
        typeof value === 'string' &&
        value.length <= declared.maxLength &&
        stringFormats[declared.format].accepts(value)
      )
  }
}

/** Whether `raw` is text of the declared type at all (`2.5`, `0x8` and `yes` are not). */
export function wellFormed(declared: SettingDeclaration, raw: string): boolean {
  if (declared.type === 'integer') return /^\s*-?\d+\s*$/.test(raw)
  if (declared.type === 'boolean') return raw === 'true' || raw === 'false'
  return true
}
